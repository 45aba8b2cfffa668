"""Executive orders from the Federal Register API's document JSON.

Reads a single document (``/api/v1/documents/2021-12019.json``), a search-result page
(``{"count", "results": [...]}``), or JSON lines of either, a document at a time (a page's
documents are streamed, not the file read whole). Each executive order
becomes an ``ExecutiveOrder`` node ``EO:<number>`` carrying its document number,
citation, signing and publication dates and its federalregister.gov and PDF
addresses; the executive-order notes ("Amends: EO 13959, November 12, 2020",
"Revoked by: EO 14032, June 3, 2021", "Supersedes in part: …") become ``AMENDS`` /
``REVOKES`` / ``SUPERSEDES`` edges sourced to the document, dated by the acting
order's signing date. "See:" notes are kept as a property, not as edges. Orders a
note names get a node of their own (number and signing date), which merges with
the curated order of the same number. Each order is ``ISSUED_BY`` the President
(``BODY:president``, as the curated data models it) on its signing date, sourced to the
document; the API's ``effective_on``, when it gives one, is the order's ``effective`` date.

>>> import json
>>> doc = {"document_number": "2021-12506", "executive_order_number": 14034, "title": "T",
...        "signing_date": "2021-06-09", "publication_date": "2021-06-11", "citation": "86 FR 31423",
...        "html_url": "https://www.federalregister.gov/d/2021-12506",
...        "executive_order_notes": "Revokes: EO 13942, August 6, 2020"}
>>> for record in parse_federal_register([(1, json.dumps(doc))], dataset="fr"):
...     print(record.item.id)
EO:14034
BODY:president
ISSUED_BY|EO:14034|BODY:president|2021-06-09
EO:13942
REVOKES|EO:14034|EO:13942|2021-06-09
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from graph.errors import LoadError
from graph.model import Edge, Node, Provenance, Source, edge_id
from loaders.json_stream import JsonStream
from loaders.records import Record, built, iso_date, open_lines

# Note labels, as the Federal Register writes them, and the edge each gives:
# (edge kind, True when this order is the edge's source).
NOTE_LABELS: dict[str, tuple[str, bool] | None] = {
    "amends": ("AMENDS", True),
    "amended by": ("AMENDS", False),
    "revokes": ("REVOKES", True),
    "partially revokes": ("REVOKES", True),
    "revoked by": ("REVOKES", False),
    "revoked in part by": ("REVOKES", False),
    "partially revoked by": ("REVOKES", False),
    "supersedes": ("SUPERSEDES", True),
    "supersedes in part": ("SUPERSEDES", True),
    "superseded by": ("SUPERSEDES", False),
    "superseded in part by": ("SUPERSEDES", False),
    "see": None,
}
_LABEL_RE = re.compile(r"^\s*(?P<label>[A-Za-z ]+?)\s*:\s*(?P<rest>.*)$")
_ORDER_RE = re.compile(
    r"^\s*(?:EO|E\.O\.|Executive Order)\s*(?P<number>\d{4,5})\s*(?:,\s*(?P<date>.+?))?\s*\.?$"
)
REQUIRED = ("document_number", "executive_order_number", "title", "signing_date", "publication_date")


def _note_date(value: str, file: str, line: int | None, field: str) -> str:
    try:
        return datetime.strptime(value.strip(), "%B %d, %Y").date().isoformat()
    except ValueError:
        raise LoadError(file, line, field, f"bad date {value!r}: expected e.g. June 3, 2021") from None


def parse_notes(
    notes: str, file: str = "<input>", line: int | None = None, where: str = "notes"
) -> list[tuple[str | None, str, str | None]]:
    """``(label, order number, date)`` for each order an executive-order note names.

    >>> parse_notes("Revokes: EO 13942, August 6, 2020; EO 13943, August 6, 2020\\nSee: EO 13873")
    [('revokes', '13942', '2020-08-06'), ('revokes', '13943', '2020-08-06'), ('see', '13873', None)]
    """
    out: list[tuple[str | None, str, str | None]] = []
    label: str | None = None
    for part in re.split(r"[;\n]", notes):
        if not part.strip():
            continue
        m = _LABEL_RE.match(part)
        if m and m.group("label").strip().lower() in NOTE_LABELS:
            label, part = m.group("label").strip().lower(), m.group("rest")
        elif m:
            raise LoadError(
                file, line, f"{where}.executive_order_notes", f"unknown note {m.group('label')!r}"
            )
        order = _ORDER_RE.match(part)
        if not order:
            raise LoadError(file, line, f"{where}.executive_order_notes", f"cannot read {part.strip()!r}")
        date = order.group("date")
        out.append(
            (
                label,
                order.group("number"),
                _note_date(date, file, line, f"{where}.executive_order_notes") if date else None,
            )
        )
    return out


def parse_federal_register(
    lines: Iterable[tuple[int, str]], dataset: str, file: str = "<input>"
) -> Iterator[Record]:
    """Records from Federal Register API JSON: a whole-file document or page, or one a line.

    Read a document at a time (:class:`loaders.json_stream.JsonStream`): a page's ``results`` are
    streamed, each document read, turned into records and let go before the next is read; the file
    is never held whole. A bad document raises LoadError when it is reached, after the records of
    those before it (a load is one transaction: none of them stays).
    """
    for where, doc, line in _documents(JsonStream(lines, file)):
        yield from _order(doc, dataset, file, line, where)


def _documents(stream: JsonStream) -> Iterator[tuple[str, dict[str, Any], int | None]]:
    """``(where, document, its line)`` for each document of each JSON value in the stream: an
    object with a ``results`` array is a page of documents, any other object a document."""
    file = stream.file
    while char := stream.peek():  # one value after another: a whole file, or one a line
        opens = stream.line_at(stream.pos)
        if char != "{":
            raise LoadError(file, opens, None, "expected a document or a search-result page")
        stream.take("{")
        head: dict[str, Any] = {}
        key_lines: dict[str, int | None] = {}
        page = False
        for key, key_line in stream.members():
            if key == "results" and stream.peek() == "[":
                page = True
                stream.take("[")
                for i, doc, starts in stream.elements():
                    if not isinstance(doc, dict):
                        bad = stream.line_at(starts)
                        raise LoadError(file, bad, f"results[{i}]", "expected a document object")
                    yield f"results[{i}]", doc, _line_of(stream, doc, starts)
            else:
                key_lines[key] = key_line
                head[key] = stream.value()[0]
        if not page:
            line = next((key_lines[k] for k in ("document_number", "title") if _placing(head, k)), opens)
            yield "document", head, line


def _placing(doc: dict[str, Any], key: str) -> bool:
    """Whether ``doc``'s ``key`` can place it in the file: a text to find."""
    value = doc.get(key)
    return isinstance(value, str) and bool(value)


def _line_of(stream: JsonStream, doc: dict[str, Any], starts: int) -> int | None:
    """The file line of a document just read from ``stream``: the line of its document number, else
    of its title; else the line it opens on."""
    for key in ("document_number", "title"):
        at = stream.text.find(f'"{doc[key]}"', starts, stream.pos) if _placing(doc, key) else -1
        if at >= 0:
            return stream.line_at(at)
    return stream.line_at(starts)


def _order(doc: dict[str, Any], dataset: str, file: str, line: int | None, where: str) -> Iterator[Record]:
    for key in REQUIRED:
        if doc.get(key) in (None, ""):
            raise LoadError(file, line, f"{where}.{key}", "missing")
    number = str(doc["executive_order_number"])
    if not number.isdigit():
        raise LoadError(file, line, f"{where}.executive_order_number", f"{number!r} is not a number")
    fr_doc = str(doc["document_number"])
    signed = iso_date(doc["signing_date"], file, line or 0, f"{where}.signing_date")
    published = iso_date(doc["publication_date"], file, line or 0, f"{where}.publication_date")
    url = doc.get("html_url") or f"https://www.federalregister.gov/d/{fr_doc}"
    source_data = {
        "url": url,
        "title": str(doc["title"]),
        "publisher": "Federal Register",
        "kind": "official",
        "date": published,
        "locator": str(doc.get("citation") or fr_doc),
    }
    source: Source = built(Source, source_data, file, line, f"{where}.html_url")
    provenance = [Provenance(dataset=dataset, first_seen=published)]
    notes = parse_notes(doc.get("executive_order_notes") or "", file, line, where)
    president = doc.get("president")
    properties: dict[str, Any] = {
        "number": number,
        "title": str(doc["title"]),
        "signed": signed,
        "published": published,
        "fr_doc": fr_doc,
        "fr_url": url,
    }
    if doc.get("citation"):
        properties["fr_citation"] = str(doc["citation"])
    if doc.get("pdf_url"):
        properties["fr_pdf_url"] = str(doc["pdf_url"])
    if isinstance(president, dict) and president.get("name"):
        properties["president"] = str(president["name"])
    if doc.get("effective_on"):
        properties["effective"] = iso_date(doc["effective_on"], file, line or 0, f"{where}.effective_on")
    see = [f"EO {n}" for label, n, _ in notes if label == "see"]
    if see:
        properties["see"] = see
    data = {
        "id": f"EO:{number}",
        "kind": "ExecutiveOrder",
        "name": f"Executive Order {number}: {doc['title']}",
        "aliases": [f"EO {number}", f"E.O. {number}"],
        "properties": properties,
        "identifiers": {"fr_doc": [fr_doc], "eo_number": [number], "url": [url]},
        "sources": [source],
        "provenance": provenance,
    }
    yield Record(fr_doc, built(Node, data, file, line or 0, where), line)
    yield from _issued_by(
        f"EO:{number}", signed, properties.get("president"), source, provenance, fr_doc, line
    )
    for label, other, other_date in notes:
        rule = NOTE_LABELS.get(label or "")
        if rule is None:
            continue
        kind, outgoing = rule
        stub: dict[str, Any] = {"number": other}
        if other_date:
            stub["signed"] = other_date
        yield Record(
            fr_doc,
            Node(
                id=f"EO:{other}",
                kind="ExecutiveOrder",
                name=f"Executive Order {other}",
                aliases=[f"EO {other}"],
                properties=stub,
                identifiers={"eo_number": [other]},
                sources=[source],
                provenance=provenance,
            ),
            line,
        )
        source_id, target_id = (
            (f"EO:{number}", f"EO:{other}") if outgoing else (f"EO:{other}", f"EO:{number}")
        )
        start = signed if outgoing else other_date
        edge = {
            "id": edge_id(kind, source_id, target_id, start),
            "kind": kind,
            "source": source_id,
            "target": target_id,
            "start": start,
            "confidence": "verified",
            "note": f"Federal Register executive order notes of EO {number}",
            "identifiers": {"fr_doc": [fr_doc]},
            "sources": [source],
            "provenance": provenance,
        }
        yield Record(fr_doc, built(Edge, edge, file, line or 0, f"{where}.executive_order_notes"), line)


PRESIDENT = "BODY:president"


def _issued_by(
    order: str,
    signed: str,
    president: str | None,
    source: Source,
    provenance: list[Provenance],
    fr_doc: str,
    line: int | None,
) -> Iterator[Record]:
    """The President's node (as the curated data models it) and the order's ``ISSUED_BY`` edge to it."""
    yield Record(
        fr_doc,
        Node(
            id=PRESIDENT,
            kind="GovernmentBody",
            name="President of the United States",
            properties={"country": "US"},
            provenance=provenance,
        ),
        line,
    )
    signer = f"President {president}" if president else "the President"
    yield Record(
        fr_doc,
        Edge(
            id=edge_id("ISSUED_BY", order, PRESIDENT, signed),
            kind="ISSUED_BY",
            source=order,
            target=PRESIDENT,
            start=signed,
            confidence="verified",
            note=f"Signed by {signer} on {signed} (Federal Register document {fr_doc}).",
            identifiers={"fr_doc": [fr_doc]},
            sources=[source],
            provenance=provenance,
        ),
        line,
    )


def read_federal_register(path: str | Path, dataset: str) -> Iterator[Record]:
    """Records from a Federal Register API JSON file."""
    return parse_federal_register(open_lines(path), dataset, str(path))
