"""OFAC's consolidated (non-SDN) list, as the CSV set or the XML Treasury publishes.

``cons_prim.csv`` (one entry a line: ent_num, name, type, programs, title, five vessel
columns, remarks; no header; ``-0-`` for empty), and beside it, when present,
``cons_alt.csv`` (alternate names), ``cons_add.csv`` (addresses) and
``cons_comments.csv`` (remarks too long for cons_prim). Or ``consolidated.xml`` (and
``sdn.xml``, the same schema): an ``sdnList`` of ``sdnEntry`` elements (uid, names,
sdnType, ``programList``, ``idList`` of idType/idNumber/idCountry, ``akaList``,
``addressList``, remarks), read into the same rows, so both give the same records.
Each entry becomes a company
(or person) with its aliases and identifiers (OFAC entity number, ISINs, LEI, tickers),
a ``LISTED_ON`` edge for each program onto that program's list — listing, effective and
divestment dates read from the remarks — and a security with an ``ISSUES`` edge for
each equity ticker on an exchange we know.

>>> prim = ['30951,"SMIC CORP",-0- ,"CMIC-EO13959",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,'
...         '"Equity Ticker 00981 HK; Listing Date (CMIC) 03 Jun 2021."']
>>> [r.item.id for r in parse_ofac(enumerate(prim, 1), dataset="ofac")][:2]
['LIST:CMIC-EO13959', 'ORG:ofac-30951']
"""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ElementTree
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import IO, Any, Protocol

import yaml

from graph.errors import LoadError
from graph.model import Edge, Node, Provenance, Source, edge_id
from graph.names import parse_ticker
from loaders.ftm import list_id, list_node
from loaders.ofac_side import KINDS, SideRows
from loaders.records import Record, built, open_lines

PRIM_COLUMNS = 12
NULL = "-0-"
CONS_PRIM_URL = "https://sanctionslistservice.ofac.treas.gov/api/download/CONS_PRIM.CSV"
CONSOLIDATED_XML_URL = "https://sanctionslistservice.ofac.treas.gov/api/download/CONSOLIDATED.XML"
PROGRAMS_FILE = Path(__file__).with_name("ofac_programs.yaml")
# Remarks fields that carry dates, and the listing property each one fills.
_DATE_FIELDS = {
    "Listing Date": "start",
    "Effective Date": "applies_from",
    "Purchase/Sales For Divestment Date": "divest_until",
}
_FIELD_RE = re.compile(
    r"^(?:alt\. )?(?P<key>Equity Ticker|ISIN|Issuer Name|Target Type|Legal Entity Number|"
    r"Listing Date|Effective Date|Purchase/Sales For Divestment Date|Unified Social Credit Code \(USCC\)|"
    r"Company Number)(?: \((?P<program>[^)]*)\))?:? (?P<value>.+)$"
)
_AKA_RE = re.compile(r"^(?:a\.k\.a\.|f\.k\.a\.|n\.k\.a\.) '(?P<name>.+)'$")
_COUNTRIES = {"China": "CN", "Hong Kong": "HK", "Russia": "RU", "Iran": "IR", "Cayman Islands": "KY"}


@lru_cache(maxsize=1)
def known_programs() -> dict[str, str]:
    """OFAC program tags this loader accepts, with the name of the list each names."""
    raw = yaml.safe_load(PROGRAMS_FILE.read_text(encoding="utf-8"))
    return {str(k): str(v) for k, v in raw["programs"].items()}


def _value(text: str) -> str | None:
    text = text.strip()
    return None if not text or text == NULL else text


def _rows(lines: Iterable[tuple[int, str]], file: str, width: int) -> Iterator[tuple[int, list[str]]]:
    for line, text in lines:
        try:
            row = next(csv.reader([text.lstrip("\ufeff")]))
        except csv.Error as exc:
            raise LoadError(file, line, None, f"malformed CSV: {exc}") from None
        if len(row) < width:
            raise LoadError(file, line, None, f"expected {width} columns, found {len(row)} (truncated file?)")
        if not row[0].strip().isdigit():
            raise LoadError(file, line, "ent_num", f"{row[0]!r} is not an entry number")
        yield line, row


def _date(text: str, file: str, line: int, field: str) -> str:
    try:
        return datetime.strptime(text.strip().rstrip("."), "%d %b %Y").date().isoformat()
    except ValueError:
        raise LoadError(file, line, field, f"bad date {text!r}: OFAC writes dates as 03 Jun 2021") from None


def parse_remarks(remarks: str, file: str = "<input>", line: int = 0) -> dict[str, Any]:
    """The fields of an entry's remarks: tickers, ISINs, names, dates by program, linked entity.

    >>> parse_remarks("Equity Ticker 1810 HK; ISIN KYG9830T1067; Listing Date (CMIC) 14 Jan 2021.")["dates"]
    {'CMIC': {'start': '2021-01-14'}}
    """
    out: dict[str, Any] = {"tickers": [], "isins": [], "names": [], "dates": {}, "lei": [], "properties": {}}
    for part in (p.strip() for p in remarks.split(";")):
        part = part.rstrip(".").strip() if part.endswith(".") and not part.endswith("'.") else part
        part = part[:-1] if part.endswith("'.") else part
        if not part:
            continue
        aka = _AKA_RE.match(part)
        if aka:
            out["names"].append(aka.group("name"))
            continue
        if part.startswith("Linked To: "):
            out["properties"]["linked_to"] = part.removeprefix("Linked To: ").rstrip(".")
            continue
        m = _FIELD_RE.match(part)
        if not m:
            continue
        key, value, program = m.group("key"), m.group("value").strip(), m.group("program")
        if key == "Equity Ticker":
            out["tickers"].append(value)
        elif key == "ISIN":
            out["isins"].append(value.upper())
        elif key == "Issuer Name":
            out["names"].append(value)
        elif key == "Legal Entity Number":
            out["lei"].append(value.upper())
        elif key == "Target Type":
            out["properties"].setdefault("ofac_target_type", value)
        elif key.startswith("Unified Social Credit Code"):
            out["properties"]["uscc"] = value.split(" (")[0]
        elif key == "Company Number":
            out["properties"]["company_number"] = value
        elif key in _DATE_FIELDS:
            field = f"Remarks.{key}" + (f" ({program})" if program else "")
            out["dates"].setdefault(program or "", {})[_DATE_FIELDS[key]] = _date(value, file, line, field)
    return out


class _ByEntry(Protocol):
    """A side file's rows by entry number: a dict, or the staged rows of one kind (``loaders.ofac_side``)."""

    def get(self, ent: str, default: list[list[str]], /) -> list[list[str]]: ...


class _Staged:
    """The staged rows of one side file, looked up as a dict is."""

    def __init__(self, side: SideRows, kind: str) -> None:
        self.side, self.kind = side, kind

    def get(self, ent: str, default: list[list[str]], /) -> list[list[str]]:
        return self.side.rows(self.kind, ent) or default


def parse_ofac(
    prim: Iterable[tuple[int, str]],
    dataset: str,
    alt: Iterable[tuple[int, str]] | None = None,
    add: Iterable[tuple[int, str]] | None = None,
    comments: Iterable[tuple[int, str]] | None = None,
    programs: Mapping[str, str] | None = None,
    file: str = "cons_prim.csv",
) -> Iterator[Record]:
    """Records from the consolidated list CSV set (numbered lines of each file).

    ``programs`` maps program tags to list ids already in the graph (``CMIC-EO13959`` →
    ``LIST:OFAC-NS-CMIC``); tags neither there nor in ``ofac_programs.yaml`` are errors. The side
    files are read first, each row checked, into a temporary file (:mod:`loaders.ofac_side`), then
    the primary file line by line, each entry joined with its rows there.
    """
    folder = Path(file).parent
    with SideRows() as side:
        for kind, lines, name, width in (
            ("alt", alt, "cons_alt.csv", 4),
            ("add", add, "cons_add.csv", 5),
            ("comments", comments, "cons_comments.csv", 2),
        ):
            if lines is not None:
                side.add(kind, _rows(lines, str(folder / name), width))
        csv_source = (CONS_PRIM_URL, "OFAC Consolidated (non-SDN) list, cons_prim.csv", "ent_num")
        rows = _rows(prim, file, PRIM_COLUMNS)
        alts, adds, notes = (_Staged(side, kind) for kind in KINDS)
        yield from _entries(rows, dataset, alts, adds, notes, programs, file, csv_source)


def _entries(
    rows: Iterable[tuple[int, list[str]]],
    dataset: str,
    alts: _ByEntry,
    adds: _ByEntry,
    comments: _ByEntry,
    programs: Mapping[str, str] | None,
    file: str,
    cited: tuple[str, str, str],
) -> Iterator[Record]:
    """Records from entries as cons_prim rows (``cited``: the source's url, title and key name)."""
    graph_programs = dict(programs or {})
    given_lists: set[str] = set()
    provenance = [Provenance(dataset=dataset)]
    for line, row in rows:
        ent = row[0].strip()
        name = _value(row[1])
        if name is None:
            raise LoadError(file, line, "SDN_Name", "missing name")
        tags = [t.strip() for t in (_value(row[3]) or "").strip("[]").split("] [") if t.strip()]
        if not tags:
            raise LoadError(file, line, "Program", "missing program")
        for tag in tags:
            if tag not in graph_programs and tag not in known_programs():
                raise LoadError(
                    file,
                    line,
                    "Program",
                    f"unknown program {tag!r}: if OFAC has added it, add a line `{tag}: <the list's "
                    "name>` under programs: in loaders/ofac_programs.yaml (or load a SanctionsList "
                    "node whose program it is); else check the file's program column",
                )
        extra = " ".join(r[1] for r in comments.get(ent, []))
        remarks = parse_remarks((_value(row[11]) or "") + " " + extra, file, line)
        source = Source(
            url=cited[0],
            title=cited[1],
            publisher="U.S. Department of the Treasury, OFAC",
            kind="official",
            locator=f"{cited[2]} {ent}",
        )
        for tag in tags:
            if tag not in graph_programs and tag not in given_lists:
                given_lists.add(tag)
                yield Record(f"program:{tag}", list_node(tag, known_programs()[tag], dataset), line)
        node = _entry_node(ent, name, row, remarks, alts, adds, source, provenance, file, line)
        yield Record(ent, node, line)
        for tag in tags:
            dates = remarks["dates"].get(tag.split("-")[0], remarks["dates"].get("", {}))
            props: dict[str, Any] = {"program": tag, "ofac_uid": int(ent), "listed_name": name}
            props.update({k: v for k, v in dates.items() if k != "start"})
            data = {
                "kind": "LISTED_ON",
                "source": node.id,
                "target": graph_programs.get(tag, list_id(tag)),
                "start": dates.get("start"),
                "confidence": "verified",
                "properties": props,
                "identifiers": {"ofac_uid": [ent]},
                "sources": [source],
                "provenance": provenance,
            }
            data["id"] = edge_id("LISTED_ON", node.id, data["target"], data["start"])
            yield Record(ent, built(Edge, data, file, line, "Program"), line)
        yield from _securities(ent, node, remarks, source, provenance, file, line)


def _distinct(names: list[str], name: str) -> list[str]:
    """Names other than ``name``, each once whatever its case (the first spelling kept)."""
    seen = {name.casefold()}
    out = []
    for other in names:
        if other.casefold() not in seen:
            seen.add(other.casefold())
            out.append(other)
    return out


def _entry_node(
    ent: str,
    name: str,
    row: list[str],
    remarks: dict[str, Any],
    alts: _ByEntry,
    adds: _ByEntry,
    source: Source,
    provenance: list[Provenance],
    file: str,
    line: int,
) -> Node:
    person = (_value(row[2]) or "").lower() == "individual"
    names = [r[3].strip() for r in alts.get(ent, []) if _value(r[3])] + remarks["names"]
    identifiers: dict[str, list[str]] = {"ofac_uid": [ent]}
    if remarks["isins"]:
        identifiers["isin"] = list(dict.fromkeys(remarks["isins"]))
    if remarks["lei"]:
        identifiers["lei"] = list(dict.fromkeys(remarks["lei"]))
    tickers = [f"{t[0]}:{t[1]}" for t in map(parse_ticker, remarks["tickers"]) if t and t[0]]
    if tickers:
        identifiers["ticker"] = list(dict.fromkeys(tickers))
    properties: dict[str, Any] = dict(remarks["properties"])
    countries = [_value(r[4]) for r in adds.get(ent, []) if len(r) > 4]
    codes = [_COUNTRIES.get(c or "", "") for c in countries if c]
    if codes and codes[0]:
        properties["country"] = codes[0]
    addresses = [", ".join(v for v in (_value(x) for x in r[2:5]) if v) for r in adds.get(ent, [])]
    if addresses:
        properties["addresses"] = addresses
    data = {
        "id": f"{'PERSON' if person else 'ORG'}:ofac-{ent}",
        "kind": "Person" if person else "Company",
        "name": name,
        "aliases": _distinct(names, name),
        "properties": properties,
        "identifiers": identifiers,
        "sources": [source],
        "provenance": provenance,
    }
    node: Node = built(Node, data, file, line, "SDN_Name")
    return node


def _securities(
    ent: str,
    node: Node,
    remarks: dict[str, Any],
    source: Source,
    provenance: list[Provenance],
    file: str,
    line: int,
) -> Iterator[Record]:
    if node.kind != "Company":
        return
    for text in remarks["tickers"]:
        ticker = parse_ticker(text)
        if not ticker or not ticker[0]:
            continue  # an exchange we do not know (DE, CA…) or a bare US code: no listing to name
        exchange, code = ticker
        security = Node(
            id=f"SEC:{exchange}:{code}",
            kind="Security",
            name=f"{node.name} ({exchange}:{code})",
            properties={"exchange": f"EXCH:{exchange}", "code": code, "ofac_equity_ticker": text},
            identifiers={"ticker": [f"{exchange}:{code}"]},
            sources=[source],
            provenance=provenance,
        )
        yield Record(ent, security, line)
        data = {
            "id": edge_id("ISSUES", node.id, security.id, None),
            "kind": "ISSUES",
            "source": node.id,
            "target": security.id,
            "confidence": "likely",
            "sources": [source],
            "provenance": provenance,
        }
        yield Record(ent, built(Edge, data, file, line, "Remarks.Equity Ticker"), line)


def _local(tag: str) -> str:
    """An XML tag without its namespace: ``{https://…/XML}sdnEntry`` → ``sdnEntry``."""
    return tag.rsplit("}", 1)[-1]


def _child_text(element: ElementTree.Element, name: str) -> str | None:
    for child in element:
        if _local(child.tag) == name:
            text = (child.text or "").strip()
            return text or None
    return None


def _children(element: ElementTree.Element, name: str) -> list[ElementTree.Element]:
    """The ``name`` elements inside ``element``'s ``{name}List`` (``programList/program``…)."""
    for child in element:
        if _local(child.tag) == f"{name}List":
            return [c for c in child if _local(c.tag) == name]
    return []


def _person_name(element: ElementTree.Element) -> str | None:
    """``LAST, First`` as the CSV writes a name, or the last name alone."""
    last, first = _child_text(element, "lastName"), _child_text(element, "firstName")
    return f"{last}, {first}" if last and first else last or first


_ENTRY_RE = re.compile(rb"<(?:[\w.-]+:)?sdnEntry[\s>]")
XML_CHUNK = 64 * 1024  # bytes fed to the XML parser at a time
_REFUSED = (b"<!DOCTYPE", b"<!ENTITY")
# Byte-order marks of UTF-16 and UTF-32 (UTF-32's little-endian begins as UTF-16's does).
_WIDE_BOMS = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")
_DECLARED = re.compile(rb"(?:\xef\xbb\xbf)?<\?xml[^>]*?\bencoding\s*=\s*[\"']([^\"']*)[\"']")
_READ_ENCODINGS = {"utf-8", "utf8", "us-ascii", "ascii"}


def _refuse_other_encodings(first: bytes, file: str) -> None:
    """Refuse a list not in UTF-8 (or ASCII), judged on its first chunk: ``_REFUSED`` is looked
    for in ASCII bytes, so a DOCTYPE and entities in UTF-16 or UTF-32 (which expat decodes) would
    pass unseen. A byte-order mark of either, a NUL byte (either without its mark) or another
    declared encoding is refused. OFAC publishes its lists in UTF-8."""
    declared = _DECLARED.match(first)
    if first.startswith(_WIDE_BOMS) or b"\x00" in first:
        found = "UTF-16 or UTF-32"
    elif declared is not None and declared.group(1).decode("ascii", "replace").lower() not in _READ_ENCODINGS:
        found = f"declared {declared.group(1).decode('ascii', 'replace')!r}"
    else:
        return
    raise LoadError(file, 1, "encoding", f"{found}: OFAC's XML is read in UTF-8 only: refusing this file")


def parse_ofac_xml(
    data: bytes | IO[bytes],
    dataset: str,
    programs: Mapping[str, str] | None = None,
    file: str = "consolidated.xml",
) -> Iterator[Record]:
    """Records from OFAC's list XML (``consolidated.xml`` or ``sdn.xml``): the same as its CSV set gives.

    Each ``sdnEntry`` is read into a cons_prim row (its ``idList`` written as the CSV's
    remarks, ``ISIN KYG8020E1199; Listing Date (CMIC) 03 Jun 2021``; weak akas as
    ``a.k.a. 'SMIC'``), its strong akas into cons_alt rows and its addresses into cons_add rows.
    ``data`` is the file's bytes or the file, read an entry at a time (:func:`_xml_rows`).

    >>> xml = (b'<sdnList><sdnEntry><uid>30951</uid><lastName>SMIC CORP</lastName>'
    ...        b'<sdnType>Entity</sdnType><programList><program>CMIC-EO13959</program></programList>'
    ...        b'<idList><id><uid>1</uid><idType>Listing Date (CMIC)</idType><idNumber>03 Jun 2021</idNumber>'
    ...        b'</id></idList></sdnEntry></sdnList>')
    >>> [r.item.id for r in parse_ofac_xml(xml, "ofac")][1:]
    ['ORG:ofac-30951', 'LISTED_ON|ORG:ofac-30951|LIST:CMIC-EO13959|2021-06-03']
    """
    stream = io.BytesIO(data) if isinstance(data, bytes) else data
    alts: dict[str, list[list[str]]] = {}  # the entry being read's only
    adds: dict[str, list[list[str]]] = {}
    rows = _xml_rows(stream, file, alts, adds)
    xml_source = (CONSOLIDATED_XML_URL, f"OFAC Consolidated (non-SDN) list, {Path(file).name}", "uid")
    yield from _entries(rows, dataset, alts, adds, {}, programs, file, xml_source)


def _xml_rows(
    stream: IO[bytes], file: str, alts: dict[str, list[list[str]]], adds: dict[str, list[list[str]]]
) -> Iterator[tuple[int, list[str]]]:
    """``(line, cons_prim row)`` for each ``sdnEntry`` of the list, read a chunk at a time.

    The entry's alternate names and addresses are put in ``alts`` and ``adds`` (emptied of the
    previous entry's) before its row is given. The parser builds one entry at a time: each is
    dropped from the tree once read, so memory grows with an entry, not with the file. Lines are
    counted on the bytes as they pass (the parser's events carry none): an entry's line is where
    its ``<sdnEntry`` opens.
    """
    parser: ElementTree.XMLPullParser[ElementTree.Element] = ElementTree.XMLPullParser(("start", "end"))
    opened: deque[int] = deque()  # the lines of the entries seen opening and not yet read
    line, carry = 1, b""
    root: ElementTree.Element | None = None
    depth = 0
    first = True
    while True:
        chunk = stream.read(XML_CHUNK)
        if first:
            _refuse_other_encodings(chunk, file)
            first = False
        # The bytes from the chunk's last "<" wait for the next one: a tag cut in two is seen whole.
        window = carry + chunk
        cut = window.rfind(b"<") if chunk else -1
        cut = len(window) if cut < 0 or len(window) - cut > 256 else cut
        if any(refused in window for refused in _REFUSED):
            raise LoadError(file, None, None, "OFAC's XML has no DOCTYPE or entities: refusing this file")
        seen, carry = window[:cut], window[cut:]
        counted = 0
        for match in _ENTRY_RE.finditer(seen):
            line += seen.count(b"\n", counted, match.start())
            counted = match.start()
            opened.append(line)
        line += seen.count(b"\n", counted)
        try:
            if chunk:
                parser.feed(chunk)  # no DOCTYPE, so no entities to expand
            else:
                parser.close()
            events: list[Any] = list(parser.read_events())  # (event, element): start and end only
        except ElementTree.ParseError as exc:
            at = exc.position[0] if exc.position else None
            raise LoadError(file, at, None, f"malformed XML ({exc}; truncated file?)") from None
        for event, element in events:
            if not isinstance(element, ElementTree.Element):
                continue  # only start and end events were asked for: always an element
            if event == "start":
                depth += 1
                if root is None:
                    root = element
                    if _local(root.tag) != "sdnList":
                        found = f"expected an OFAC sdnList document, found <{_local(root.tag)}>"
                        raise LoadError(file, 1, None, found)
                continue
            depth -= 1
            if depth != 1 or root is None:
                continue
            if _local(element.tag) == "sdnEntry":
                at = opened.popleft() if opened else 0
                row, entry_alts, entry_adds = _xml_entry(element, file, at)
                alts.clear()
                adds.clear()
                alts[row[0]], adds[row[0]] = entry_alts, entry_adds
                yield at, row
            # Read: out of the tree (a next entry the parser has begun is built on all the same).
            del root[:]
        if not chunk:
            return


def _xml_entry(
    entry: ElementTree.Element, file: str, line: int
) -> tuple[list[str], list[list[str]], list[list[str]]]:
    """One sdnEntry as a cons_prim row, its cons_alt rows and its cons_add rows."""
    uid = _child_text(entry, "uid") or ""
    if not uid.isdigit():
        raise LoadError(file, line, "sdnEntry.uid", f"{uid!r} is not an entry number")
    name = _person_name(entry) or NULL
    kind = (_child_text(entry, "sdnType") or "").lower()
    tags = [p.text.strip() for p in _children(entry, "program") if p.text and p.text.strip()]
    remarks: list[str] = []
    for ident in _children(entry, "id"):
        id_type, number = _child_text(ident, "idType"), _child_text(ident, "idNumber")
        if not id_type or not number:
            continue
        country = _child_text(ident, "idCountry")
        remarks.append(f"{id_type} {number}" + (f" ({country})" if country else ""))
    alts: list[list[str]] = []
    for aka in _children(entry, "aka"):
        aka_name = _person_name(aka)
        if not aka_name:
            continue
        aka_type = _child_text(aka, "type") or "a.k.a."
        if (_child_text(aka, "category") or "strong").lower() == "weak":
            remarks.append(f"{aka_type} '{aka_name}'")
        else:
            alts.append([uid, _child_text(aka, "uid") or NULL, aka_type, aka_name, NULL])
    if _child_text(entry, "remarks"):
        remarks.append(_child_text(entry, "remarks") or "")
    adds: list[list[str]] = []
    for address in _children(entry, "address"):
        street = ", ".join(v for v in (_child_text(address, f"address{n}") for n in (1, 2, 3)) if v)
        place = ", ".join(v for v in (_child_text(address, k) for k in ("city", "stateOrProvince")) if v)
        place = " ".join(v for v in (place, _child_text(address, "postalCode")) if v)
        adds.append(
            [
                uid,
                _child_text(address, "uid") or NULL,
                street or NULL,
                place or NULL,
                _child_text(address, "country") or NULL,
                NULL,
            ]
        )
    row = [uid, name, "individual" if kind == "individual" else (kind or NULL), "] [".join(tags) or NULL]
    row += [_child_text(entry, "title") or NULL, *[NULL] * 6, "; ".join(remarks) or NULL]
    return row, alts, adds


def read_ofac(path: str | Path, dataset: str, programs: Mapping[str, str] | None = None) -> Iterator[Record]:
    """Records from OFAC's list: a cons_prim.csv (and its sibling files), an XML file, or their folder."""
    p = Path(path)
    xml = p if p.is_file() and p.suffix.lower() == ".xml" else None
    if p.is_dir() and not any((p / n).exists() for n in ("cons_prim.csv", "CONS_PRIM.CSV")):
        xml = next(
            (
                p / n
                for n in ("consolidated.xml", "CONSOLIDATED.XML", "sdn.xml", "SDN.XML")
                if (p / n).exists()
            ),
            None,
        )
    if xml is not None:
        return _read_ofac_xml(xml, dataset, programs)
    return _read_ofac_csv(p, dataset, programs)


def _read_ofac_xml(xml: Path, dataset: str, programs: Mapping[str, str] | None) -> Iterator[Record]:
    try:
        handle = xml.open("rb")
    except OSError as exc:
        raise LoadError(str(xml), None, None, f"cannot read: {exc.strerror or exc}") from None
    with handle:
        yield from parse_ofac_xml(handle, dataset, programs, str(xml))


def _read_ofac_csv(p: Path, dataset: str, programs: Mapping[str, str] | None) -> Iterator[Record]:
    prim = p / "cons_prim.csv" if p.is_dir() else p
    folder = prim.parent

    def sibling(name: str) -> Iterator[tuple[int, str]] | None:
        for candidate in (folder / name, folder / name.upper()):
            if candidate.exists():
                return open_lines(candidate)
        return None

    return parse_ofac(
        open_lines(prim),
        dataset,
        alt=sibling("cons_alt.csv"),
        add=sibling("cons_add.csv"),
        comments=sibling("cons_comments.csv"),
        programs=programs,
        file=str(prim),
    )
