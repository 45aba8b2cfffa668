"""Federal Register API documents (fixtures: a search-result page and a single document)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graph.errors import LoadError
from graph.model import Edge, Node
from loaders.federal_register import parse_federal_register, parse_notes, read_federal_register

FIXTURES = Path(__file__).parents[1] / "fixtures" / "fedreg"


def _items(name: str) -> dict[str, Node | Edge]:
    return {r.item.id: r.item for r in read_federal_register(FIXTURES / name, "fr")}


def test_order_node_from_a_search_page() -> None:
    order = _items("eo-search-page.json")["EO:14032"]
    assert isinstance(order, Node)
    assert order.properties["signed"] == "2021-06-03"
    assert order.properties["published"] == "2021-06-07"
    assert order.properties["fr_citation"] == "86 FR 30145"
    assert order.identifiers["fr_doc"] == ["2021-12019"]
    assert order.sources[0].url.startswith("https://www.federalregister.gov/documents/2021/06/07/2021-12019/")
    assert order.sources[0].kind == "official"


def test_notes_become_dated_edges_sourced_to_the_document() -> None:
    items = _items("eo-search-page.json")
    edges = {i.id: i for i in items.values() if isinstance(i, Edge) and i.kind != "ISSUED_BY"}
    assert set(edges) == {
        "AMENDS|EO:13974|EO:13959|2021-01-13",
        "AMENDS|EO:14032|EO:13959|2021-06-03",
        "REVOKES|EO:14032|EO:13974|2021-06-03",
        "SUPERSEDES|EO:14032|EO:13959|2021-06-03",
    }
    # Both documents state the revocation (13974's "Revoked by", 14032's "Revokes"), each sourced to itself.
    records = read_federal_register(FIXTURES / "eo-search-page.json", "fr")
    cited = {
        r.item.sources[0].locator for r in records if r.item.id == "REVOKES|EO:14032|EO:13974|2021-06-03"
    }
    assert cited == {"86 FR 4875", "86 FR 30145"}


def test_single_document_with_revokes_and_see() -> None:
    items = _items("2021-12506.json")
    revoked = sorted(i.target for i in items.values() if isinstance(i, Edge) and i.kind == "REVOKES")
    assert revoked == ["EO:13942", "EO:13943", "EO:13971"]
    assert items["EO:14034"].properties["see"] == ["EO 13873"]
    assert items["EO:13942"].properties == {"number": "13942", "signed": "2020-08-06"}


def test_notes() -> None:
    assert parse_notes("Superseded in part by: EO 14032, June 3, 2021") == [
        ("superseded in part by", "14032", "2021-06-03")
    ]
    with pytest.raises(LoadError, match="bad date 'June 31, 2021'"):
        parse_notes("Amends: EO 13959, June 31, 2021")


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"signing_date": None}, "document.signing_date", "missing"),
        ({"signing_date": "2021-02-30"}, "document.signing_date", "bad date"),
        ({"executive_order_notes": "Rescinds: EO 13959"}, "document.executive_order_notes", "unknown note"),
        ({"executive_order_number": "fourteen"}, "document.executive_order_number", "not a number"),
    ],
)
def test_bad_documents_name_file_line_and_field(change: dict[str, object], field: str, words: str) -> None:
    doc = json.loads((FIXTURES / "2021-12506.json").read_text(encoding="utf-8"))
    doc.update(change)
    with pytest.raises(LoadError) as caught:
        list(parse_federal_register([(1, json.dumps(doc))], "fr", file="doc.json"))
    assert (caught.value.file, caught.value.line, caught.value.field) == ("doc.json", 1, field)
    assert words in caught.value.message


@pytest.mark.parametrize("missing", ["document_number", "title"])
def test_an_indented_document_missing_a_field_names_a_line(missing: str) -> None:
    # A whole-file document (indented, as the API's JSON is saved) found without its document
    # number is still placed: by its title, else at the line it opens on.
    doc = json.loads((FIXTURES / "2021-12506.json").read_text(encoding="utf-8"))
    del doc["document_number"]
    if missing == "title":
        del doc["title"]
    lines = ["", *json.dumps(doc, indent=2).splitlines()]
    with pytest.raises(LoadError) as caught:
        # as open_lines gives them: blank lines skipped, each with its number in the file
        list(parse_federal_register([(i, t) for i, t in enumerate(lines, 1) if t], "fr", file="doc.json"))
    assert caught.value.field == "document.document_number"
    title_line = [i for i, t in enumerate(lines, 1) if '"title"' in t]
    assert [caught.value.line] == (title_line if missing == "document_number" else [2])


def test_truncated_file_names_its_line() -> None:
    lines = (FIXTURES / "2021-12506.json").read_text(encoding="utf-8").splitlines()[:12]
    with pytest.raises(LoadError, match=r"doc.json:\d+: malformed JSON"):
        list(parse_federal_register(enumerate(lines, 1), "fr", file="doc.json"))


def test_each_order_is_issued_by_the_president_on_its_signing_date() -> None:
    items = _items("eo-search-page.json")
    orders = {
        r.item.id: r.item
        for r in read_federal_register(FIXTURES / "eo-search-page.json", "fr")
        if isinstance(r.item, Node) and "fr_doc" in r.item.properties  # the documents, not the notes' stubs
    }
    for number, signed, president, fr_doc in (
        ("13959", "2020-11-12", "Donald Trump", "2020-25459"),
        ("14032", "2021-06-03", "Joseph R. Biden Jr.", "2021-12019"),
    ):
        order = orders[f"EO:{number}"]
        assert order.properties["signed"] == signed and order.properties["fr_doc"] == fr_doc
        assert "effective" not in order.properties  # the API gives no effective_on for these
        issued = items[f"ISSUED_BY|EO:{number}|BODY:president|{signed}"]
        assert isinstance(issued, Edge) and (issued.source, issued.target, issued.start) == (
            f"EO:{number}",
            "BODY:president",
            signed,
        )
        assert president in (issued.note or "")
        assert [s.url for s in issued.sources] == [order.sources[0].url]
        assert f"/{fr_doc}/" in issued.sources[0].url and issued.identifiers == {"fr_doc": [fr_doc]}
    assert items["BODY:president"].kind == "GovernmentBody"


def test_an_effective_date_the_document_gives_is_kept() -> None:
    doc = json.loads((FIXTURES / "2021-12506.json").read_text(encoding="utf-8"))
    doc["effective_on"] = "2021-06-10"
    items = {r.item.id: r.item for r in parse_federal_register([(1, json.dumps(doc))], "fr")}
    order = items["EO:14034"]
    assert isinstance(order, Node)
    assert (order.properties["signed"], order.properties["effective"]) == ("2021-06-09", "2021-06-10")
    doc["effective_on"] = "2021-06-31"
    with pytest.raises(LoadError, match="effective_on"):
        list(parse_federal_register([(1, json.dumps(doc))], "fr"))


@pytest.mark.parametrize("chunk", [1, 64 * 1024])
def test_a_document_is_placed_at_its_keys_line_when_the_key_and_its_colon_are_read_apart(
    chunk: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The key on line 2, its ':' on line 3: read a character at a time, the text is read again
    # between the two, and the line is the key's all the same.
    from loaders import json_stream

    monkeypatch.setattr(json_stream, "CHUNK", chunk)
    doc = json.loads((FIXTURES / "2021-12506.json").read_text(encoding="utf-8"))
    doc["signing_date"] = None
    number = doc.pop("document_number")
    rest = json.dumps(doc)[1:]
    lines = ["{", '"document_number"', ":", json.dumps(number) + ",", rest]
    with pytest.raises(LoadError) as caught:
        list(parse_federal_register(enumerate(lines, 1), "fr", file="doc.json"))
    assert (caught.value.line, caught.value.field) == (2, "document.signing_date")
