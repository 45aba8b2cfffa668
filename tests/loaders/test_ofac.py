"""OFAC's consolidated (non-SDN) list CSV set (fixture rows as cons_prim.csv publishes them)."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.errors import LoadError
from graph.model import Edge, Node
from loaders.ofac import parse_ofac, parse_remarks, read_ofac

FIXTURES = Path(__file__).parents[1] / "fixtures" / "ofac"
PROGRAMS = {"CMIC-EO13959": "LIST:OFAC-NS-CMIC"}
ROW = '30951,"SMIC",-0- ,"{program}",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"{remarks}"'


def _items() -> dict[str, Node | Edge]:
    return {r.item.id: r.item for r in read_ofac(FIXTURES, "ofac", PROGRAMS)}


def test_company_with_aliases_identifiers_and_address() -> None:
    cnooc = _items()["ORG:ofac-30926"]
    assert isinstance(cnooc, Node)
    assert cnooc.name == "CNOOC LIMITED"
    assert cnooc.aliases == ["CNOOC LTD"]  # the issuer name "CNOOC Ltd" is the same alias in another case
    assert cnooc.identifiers == {
        "ofac_uid": ["30926"],
        "isin": ["HK0883013259", "US1261321095"],
        "lei": ["549300XIVJCBIGMRUD48"],
        "ticker": ["HKEX:0883"],
    }
    assert cnooc.properties["country"] == "HK"
    assert cnooc.properties["linked_to"] == "CHINA NATIONAL OFFSHORE OIL CORPORATION"


def test_program_tag_gives_a_listing_with_dates_from_the_remarks() -> None:
    listing = _items()["LISTED_ON|ORG:ofac-30951|LIST:OFAC-NS-CMIC|2021-06-03"]
    assert isinstance(listing, Edge)
    assert listing.start == "2021-06-03"
    assert listing.properties["applies_from"] == "2021-08-02"
    assert listing.properties["divest_until"] == "2022-06-03"
    assert listing.sources[0].kind == "official" and listing.sources[0].locator == "ent_num 30951"


def test_securities_from_equity_tickers_on_known_exchanges_only() -> None:
    items = _items()
    issued = sorted(i.target for i in items.values() if isinstance(i, Edge) and i.kind == "ISSUES")
    # 'CNU CA', 'CEO US' and 'MKN1 DE' name no exchange we hold: no security is made up for them.
    assert issued == ["SEC:HKEX:0883", "SEC:HKEX:0981", "SEC:SSE:688981", "SEC:SZSE:002415"]


def test_a_program_not_in_the_graph_gets_its_own_list() -> None:
    items = _items()
    assert items["LIST:561-Related"].identifiers["program"] == ["561-Related"]
    assert "LISTED_ON|ORG:ofac-15268|LIST:561-Related|-" in items


def test_remarks_fields() -> None:
    fields = parse_remarks(
        "Equity Ticker 1810 HK; alt. ISIN KYG9830T1067; a.k.a. 'XIAOMI'; Listing Date (CMIC) 14 Jan 2021."
    )
    assert fields["tickers"] == ["1810 HK"] and fields["isins"] == ["KYG9830T1067"]
    assert fields["names"] == ["XIAOMI"] and fields["dates"] == {"CMIC": {"start": "2021-01-14"}}


@pytest.mark.parametrize(
    ("row", "field", "words"),
    [
        (ROW.format(program="CMIC-EO99999", remarks="x"), "Program", "unknown program 'CMIC-EO99999'"),
        (
            ROW.format(program="CMIC-EO13959", remarks="Listing Date (CMIC) 31 Jun 2021"),
            "Remarks.Listing Date (CMIC)",
            "bad date",
        ),
        ('30951,"SMIC",-0- ,"CMIC-EO13959",-0- ', None, "expected 12 columns"),
        (
            'x1,"SMIC",-0- ,"CMIC-EO13959",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"x"',
            "ent_num",
            "not an entry number",
        ),
        ('30951,-0- ,-0- ,"CMIC-EO13959",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"x"', "SDN_Name", "missing name"),
    ],
)
def test_bad_rows_name_file_line_and_field(row: str, field: str | None, words: str) -> None:
    good = ROW.format(program="CMIC-EO13959", remarks="Target Type Public Company.").replace("30951", "1")
    with pytest.raises(LoadError) as caught:
        list(parse_ofac([(1, good), (2, row)], "ofac", programs=PROGRAMS, file="cons_prim.csv"))
    assert (caught.value.file, caught.value.line, caught.value.field) == ("cons_prim.csv", 2, field)
    assert words in caught.value.message


XML = Path(__file__).parents[1] / "fixtures" / "ofac-xml" / "consolidated.xml"


def _without_sources(item: Node | Edge) -> dict[str, object]:
    return item.model_dump(exclude={"sources"})


def test_the_xml_gives_what_the_csv_set_gives() -> None:
    from_csv = list(read_ofac(FIXTURES, "ofac", PROGRAMS))
    from_xml = list(read_ofac(XML, "ofac", PROGRAMS))
    assert [r.item.id for r in from_xml] == [r.item.id for r in from_csv]
    assert [_without_sources(r.item) for r in from_xml] == [_without_sources(r.item) for r in from_csv]
    smic = next(r.item for r in from_xml if r.item.id == "ORG:ofac-30951")
    assert [(s.url, s.locator) for s in smic.sources] == [
        ("https://sanctionslistservice.ofac.treas.gov/api/download/CONSOLIDATED.XML", "uid 30951")
    ]
    assert read_ofac(XML.parent, "ofac", PROGRAMS) is not None  # a folder holding the XML


@pytest.mark.parametrize(
    ("text", "where"),
    [
        (b"<sdnList><sdnEntry><uid>1</uid>", ":1: malformed XML"),
        (b'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY a "b">]><sdnList/>', "DOCTYPE"),
        (b"<other/>", "expected an OFAC sdnList"),
        (
            b"<sdnList>\n<sdnEntry><uid>7</uid><lastName>X</lastName>"
            b"<programList><program>NOT-A-PROGRAM</program></programList></sdnEntry></sdnList>",
            ":2: Program: unknown program 'NOT-A-PROGRAM': if OFAC has added it, add a line",
        ),
    ],
)
def test_bad_xml_is_a_load_error(tmp_path: Path, text: bytes, where: str) -> None:
    bad = tmp_path / "consolidated.xml"
    bad.write_bytes(text)
    with pytest.raises(LoadError) as caught:
        list(read_ofac(bad, "ofac", PROGRAMS))
    assert where in str(caught.value) and str(bad) in str(caught.value)


_SMIC_ENTRY = (
    "<sdnEntry><uid>30951</uid><lastName>&e;</lastName><sdnType>Entity</sdnType>"
    "<programList><program>CMIC-EO13959</program></programList></sdnEntry>"
)
_ENTITY_XML = f'<!DOCTYPE sdnList [<!ENTITY e "SMIC CORP">]><sdnList>{_SMIC_ENTRY}</sdnList>'


@pytest.mark.parametrize(
    "text",
    [
        # A DOCTYPE and entity in UTF-16 or UTF-32 (expat decodes them): not to be read past.
        "\ufeff".encode("utf-16-le") + _ENTITY_XML.encode("utf-16-le"),
        _ENTITY_XML.encode("utf-16"),
        _ENTITY_XML.encode("utf-16-be"),  # no byte-order mark: NUL bytes
        _ENTITY_XML.encode("utf-32"),
        ('<?xml version="1.0" encoding="UTF-16"?>' + _ENTITY_XML).encode("utf-16"),
        # Declared in an encoding other than UTF-8 or ASCII.
        f'<?xml version="1.0" encoding="ISO-8859-1"?>\n<sdnList>{_SMIC_ENTRY}</sdnList>'.encode("latin-1"),
        f"<?xml version='1.0' encoding='utf-7'?>\n<sdnList>{_SMIC_ENTRY}</sdnList>".encode("ascii"),
    ],
)
def test_xml_not_in_utf_8_is_refused_naming_the_file_and_its_encoding(tmp_path: Path, text: bytes) -> None:
    from loaders.workspace import Workspace, load_path

    bad = tmp_path / "consolidated.xml"
    bad.write_bytes(text)
    with pytest.raises(LoadError) as caught:
        list(read_ofac(bad, "ofac", PROGRAMS))
    assert (caught.value.file, caught.value.line, caught.value.field) == (str(bad), 1, "encoding")
    assert "UTF-8" in caught.value.message
    workspace = Workspace(tmp_path / "ws")
    before = workspace.store().node_count(), workspace.store().edge_count()
    with pytest.raises(LoadError):
        load_path(workspace, bad, "ofac", "ofac")
    assert (workspace.store().node_count(), workspace.store().edge_count()) == before
    assert workspace.store().get_node("ORG:ofac-30951") is None
    workspace.close()


@pytest.mark.parametrize(
    "declaration",
    ['<?xml version="1.0" encoding="UTF-8"?>', "\ufeff<?xml version='1.0' encoding='us-ascii'?>", ""],
)
def test_xml_in_utf_8_or_ascii_is_read(declaration: str) -> None:
    xml = f"{declaration}\n<sdnList>{_SMIC_ENTRY.replace('&e;', 'SMIC CORP')}</sdnList>".encode()
    from loaders.ofac import parse_ofac_xml

    ids = [r.item.id for r in parse_ofac_xml(xml, "ofac", PROGRAMS)]
    assert "ORG:ofac-30951" in ids
