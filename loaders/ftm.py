"""FollowTheMoney entities as OpenSanctions publishes them, one JSON object a line.

Full exports (``entities.ftm.json``: ``{"id", "schema", "properties": {prop: [values]},
"datasets", "referents", "first_seen", "last_seen", …}``, nested ``targets.nested.json``
too) and the delta form (``{"op": "ADD"|"MOD"|"DEL", "entity": {…}}``).

Schemata map onto our kinds: Company/Organization/LegalEntity → Company, PublicBody →
GovernmentBody, Person → Person, Security → Security (+ ``ISSUES`` from its issuer),
Sanction → ``LISTED_ON`` onto one list node per program (named and coded as the program's first
listing given says: each listing keeps what it says, ``program_name`` and ``identifiers.program``,
so that a delta taking that one out makes the list from the next), Ownership → ``SUBSIDIARY_OF``
(asset → owner), Directorship/Employment/Membership → ``ROLE_IN``. The first name is
the name, further names and aliases become aliases. Other FtM schemata (addresses,
identifications, notes…) are read and skipped; a schema FtM does not have is an error.

Edges may name entities that come later in the file: they wait, in memory, until the
end of the file (memory grows with the graph, not with the file). An edge with an end of
a schema we skip (a Sanction on a Vessel) is left out and counted in ``skipped_links``.

>>> line = ('{"id": "NK-x", "schema": "Company", "properties": {"name": ["Xiaomi Corporation",'
...         ' "Xiaomi"], "country": ["cn"]}, "first_seen": "2021-01-15T00:00:00"}')
>>> [r.item.id for r in parse_ftm([(1, line)], dataset="os")]
['ORG:NK-x']
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph.errors import LoadError
from graph.model import (
    Edge,
    Node,
    Provenance,
    Source,
    check_identifiers,
    check_url,
    constructed,
    edge_id,
    property_problem,
)
from graph.names import parse_ticker
from loaders.records import Record, Row, built, date_text, iso_date, json_object, open_lines

NODE_SCHEMATA = {
    "Company": "Company",
    "Organization": "Company",
    "LegalEntity": "Company",
    "PublicBody": "GovernmentBody",
    "Person": "Person",
    "Security": "Security",
}
PREFIX = {"Company": "ORG", "GovernmentBody": "BODY", "Person": "PERSON", "Security": "SEC"}
ROLE_SCHEMATA = {
    "Directorship": ("director", "organization"),
    "Employment": ("employee", "employer"),
    "Membership": ("member", "organization"),
}
# FtM schemata we read and do not map (yet): known, so not an error.
_SKIPPED = (
    "Address Airplane Article Assessment Associate Asset BankAccount Call CallForTenders Contract "
    "ContractAward CourtCase CourtCaseParty CryptoWallet Debt Document Email EconomicActivity Event "
    "Family Folder HyperText Identification Image Interest Interval License Mention Message Note "
    "Occupancy Package Page Pages Passport Payment PlainText Position Post Project ProjectParticipant "
    "Representation RealEstate Similar Succession Table TaxRoll Thing Trip UnknownLink UserAccount "
    "Value Vehicle Vessel Video Workbook"
)
SKIPPED_SCHEMATA = frozenset(_SKIPPED.split())
OPS = ("ADD", "MOD", "DEL")
_CODES = (("isin", ("isin", "isinCode")), ("lei", ("leiCode",)))
_CODED = ("isin", "isinCode", "leiCode", "ticker")  # the properties identifiers are read from
KEPT_PROPERTIES = ("country", "jurisdiction", "incorporationDate", "topics", "website", "registrationNumber")
OPENSANCTIONS = "https://www.opensanctions.org/entities/"
_SAFE = re.compile(r"\s+")
_CODE = re.compile(r"\S+")
_OFAC = re.compile(r"^ofac-(\d+)\Z")
_DATASET = re.compile(r"^[a-z0-9][a-z0-9_.-]*\Z")


@dataclass
class _Pending:
    """An edge whose endpoints are FtM ids not yet seen."""

    origin: str
    line: int
    where: str
    data: dict[str, Any]
    ends: dict[str, tuple[str, frozenset[str]]]  # "source"/"target" → (ftm id, kinds allowed)
    order: int = 0  # edges are given in the order the file gave them
    missing: int = 0  # how many of its ends are not known yet
    dropped: bool = False  # an end is of a schema we skip
    late: bool = False  # it waited: given after its line, once its ends were read
    after: str | None = None  # (late) the origin of the last row given before its line


@dataclass
class FtmReader:
    """Reads FtM entities into records; remembers which FtM id became which node id."""

    dataset: str
    file: str = "<input>"
    known: dict[str, str] = field(default_factory=dict)  # FtM id (and referents) → node id
    # Whether the dataset gave an FtM id's own entity before this file (a delta's reader: its
    # records in the workspace); a referent does not take such an id over (_known).
    own_given: Callable[[str], bool] | None = None
    # The FtM ids read as their own entity's (its line): a referent no longer takes them over.
    _own: set[str] = field(default_factory=set)
    skipped: int = 0  # entities of schemata we do not map (addresses, vessels…)
    skipped_links: int = 0  # edges (a Sanction, an Ownership…) with an end among those
    _skipped_ids: set[str] = field(default_factory=set)
    # Edges whose ends are all known, to give; the others, under each FtM id they wait for:
    # an entity releases what waits for it (no scan of every waiting edge per line).
    _ready: list[_Pending] = field(default_factory=list)
    _waiting: dict[str, list[_Pending]] = field(default_factory=dict)
    _edges_read: int = 0
    # Small caches of what the reader checked (each emptied when full, so that memory does not
    # grow with the file): provenance dicts by their days, days by their text, property dates.
    _provenances: dict[tuple[str | None, str | None], dict[str, Any]] = field(default_factory=dict)
    _days: dict[str, str] = field(default_factory=dict)
    _dates: dict[Any, str] = field(default_factory=dict)
    lists_given: set[str] = field(default_factory=set)
    # The links left out for an end of a schema we skip, as they waited: ``(that end's FtM id, the
    # link's entity, pending_json(...))``, kept by the workspace so that a delta making that end a
    # node gives them again (loaders/workspace/skips.py). Only links left out: nothing a line.
    links_left_out: list[tuple[str, str, str, str | None]] = field(default_factory=list)
    # The origin of the last row given (None: none yet): where in the dataset's order each thing left
    # out stands (just after it), so that a delta bringing it back puts it there.
    _after: str | None = None
    _skipped_after: dict[str, str | None] = field(default_factory=dict)
    # The links given late (their ends further down), each with the origin of the last row given
    # before its line: where the final file of a delta moving it onto an entity before it gives it
    # (loaders/workspace/lists.py). So too each link left out once an end it waited for was read, of
    # a schema we skip (kept where that end stands: loaders/workspace/skips.py). Only links given or
    # left out late: nothing a line.
    _late: dict[str, str | None] = field(default_factory=dict)
    # A delta's reader: which of these FtM ids its dataset's earlier lines gave as entities of a schema
    # we skip (a link to one is left out, as the final file leaves it out); asked at the end, only
    # for the ends still unknown then.
    skipped_before: Callable[[Collection[str]], set[str]] | None = None

    def entity(self, raw: Mapping[str, Any], line: int, where: str = "entity") -> Iterator[Record]:
        """The records one entity gives (nested entities first)."""
        for row in self.rows(raw, line, where):
            yield row_record(row)

    def rows(self, raw: Mapping[str, Any], line: int, where: str = "entity") -> Iterator[Row]:
        """What one entity gives as plain rows: the documents its models would dump, no model built."""
        ftm_id = raw.get("id")
        if not isinstance(ftm_id, str) or not ftm_id.strip():
            raise LoadError(self.file, line, f"{where}.id", "missing entity id")
        schema = raw.get("schema")
        if not isinstance(schema, str):
            raise LoadError(self.file, line, f"{where}.schema", "missing schema")
        props = raw.get("properties", {})
        if type(props) is not dict or not set(map(type, props.values())) <= _LIST:
            raise LoadError(self.file, line, f"{where}.properties", "must map each property to a list")
        refs: dict[str, list[str]] = {}
        for name, values in props.items():
            if values and _strings(values):
                refs[name] = list(values)  # the common case: strings, kept as they are
                continue
            for value in values:
                if isinstance(value, dict):  # nested form: the referenced entity inline
                    yield from self.rows(value, line, f"{where}.properties.{name}")
                    refs.setdefault(name, []).append(str(value.get("id")))
                elif isinstance(value, str | int | float):
                    refs.setdefault(name, []).append(str(value))
                else:
                    raise LoadError(self.file, line, f"{where}.properties.{name}", f"bad value {value!r}")
        provenance = self._provenance(raw, line, where)
        if schema in NODE_SCHEMATA:
            yield from self._node(ftm_id, NODE_SCHEMATA[schema], raw, refs, provenance, line, where)
        elif schema == "Sanction":
            self._sanction(ftm_id, refs, provenance, line, where)
        elif schema == "Ownership":
            self._link(ftm_id, "SUBSIDIARY_OF", ("asset", "owner"), refs, provenance, line, where)
        elif schema in ROLE_SCHEMATA:
            self._link(ftm_id, "ROLE_IN", ROLE_SCHEMATA[schema], refs, provenance, line, where)
        elif schema in SKIPPED_SCHEMATA:
            self.skipped += 1
            self._skipped_ids.add(ftm_id)
            self._skipped_after.setdefault(ftm_id, self._after)
            for pending in self._waiting.pop(ftm_id, ()):
                if not pending.dropped:
                    # A sanction on a vessel, a directorship of an aircraft: the graph has no node
                    # for that end, so the link is left out, and counted, not an error.
                    self._leave_out(pending, ftm_id)
        else:
            raise LoadError(self.file, line, f"{where}.schema", f"unknown FollowTheMoney schema {schema!r}")
        if self._ready:
            yield from self.ready_rows()

    # Provenance and sources are checked here field by field, as their models would check
    # them, and kept as plain dicts (every field, as the model dumps it); anything a quick
    # check doubts goes through the model, which raises the LoadError naming the field.
    def _provenance(self, raw: Mapping[str, Any], line: int, where: str) -> dict[str, Any]:
        first, last = raw.get("first_seen"), raw.get("last_seen")
        first = None if first is None else self._seen_day(first, line, f"{where}.first_seen")
        last = None if last is None else self._seen_day(last, line, f"{where}.last_seen")
        data = self._provenances.get((first, last))
        if data is not None:  # a file has few distinct pairs of days: one dict for each, shared
            return data
        data = {"dataset": self.dataset, "first_seen": first, "last_seen": last}
        if not _DATASET.match(self.dataset):
            built(Provenance, data, self.file, line, where)  # raises, naming the field
        _remember(self._provenances, (first, last), data)
        return data

    def _seen_day(self, value: object, line: int, where: str) -> str:
        """A first/last seen timestamp's day (:func:`~loaders.records.iso_date`), remembered by the
        day's text: every line of a re-export carries its own timestamp, but a file has few days."""
        if not isinstance(value, str):
            return iso_date(value, self.file, line, where)  # raises, naming the field
        text = date_text(value)
        found = self._days.get(text)
        if found is None:
            found = iso_date(value, self.file, line, where)
            _remember(self._days, text, found)
        return found

    def _date(self, value: object, line: int, where: str) -> str:
        """:func:`~loaders.records.iso_date`, remembered for the values it accepted."""
        found = self._dates.get(value) if isinstance(value, str) else None
        if found is None:
            found = iso_date(value, self.file, line, where)
            _remember(self._dates, value, found)
        return found

    def _source(
        self, ftm_id: str, refs: dict[str, list[str]], title: str, line: int, where: str
    ) -> dict[str, Any]:
        url = None
        if "sourceUrl" in refs:
            url = next((u for u in refs["sourceUrl"] if u.startswith(("http://", "https://"))), None)
        data: dict[str, Any] = {
            "url": OPENSANCTIONS + ftm_id + "/",
            "title": title,
            "publisher": "OpenSanctions",
            "kind": "other",
            "date": None,
            "locator": None,
            "quote": None,
        }
        if url:
            data.update(url=url, publisher=self.dataset, locator=f"FtM entity {ftm_id}")
        try:
            check_url(data["url"])
            ok = bool(title) and bool(data["publisher"])
        except ValueError:
            ok = False
        if not ok:
            built(Source, data, self.file, line, f"{where}.properties.sourceUrl")  # raises, naming the field
        return data

    def _node(
        self,
        ftm_id: str,
        kind: str,
        raw: Mapping[str, Any],
        refs: dict[str, list[str]],
        provenance: dict[str, Any],
        line: int,
        where: str,
    ) -> Iterator[Row]:
        names = refs.get("name", [])
        if not names:
            raise LoadError(self.file, line, f"{where}.properties.name", "missing name")
        identifiers = _identifiers(ftm_id, raw, refs)
        tickers = identifiers.get("ticker", [])
        node_id = _node_id(kind, ftm_id, tickers)
        properties: dict[str, Any] = {"ftm_schema": str(raw["schema"])}
        for prop in KEPT_PROPERTIES:
            if refs.get(prop):
                properties[prop] = refs[prop][0] if len(refs[prop]) == 1 else refs[prop]
        if kind == "Security" and tickers:
            exchange, code = tickers[0].split(":", 1)
            properties.update(exchange=f"EXCH:{exchange}", code=code)
        datasets = [d for d in raw.get("datasets", []) if isinstance(d, str)]
        if datasets:
            properties["ftm_datasets"] = datasets
        aliases = [*names[1:], *refs.get("alias", []), *refs.get("previousName", [])]
        data = {
            "id": node_id,
            "kind": kind,
            "name": names[0],
            "aliases": list(dict.fromkeys(a for a in aliases if a != names[0])),
            "properties": properties,
            "identifiers": identifiers,
            "sources": [self._source(ftm_id, refs, names[0], line, where)],
            "provenance": [provenance],
        }
        node = self._node_doc(data, line, where)
        self._known(identifiers["ftm_id"], node_id, ftm_id)
        self._after = ftm_id
        yield Row(ftm_id, False, node, line)
        if kind == "Security":
            for issuer in refs.get("issuer", []):
                # Every field a link's record keeps (a delta leaving it out keeps it from its record).
                edge: dict[str, Any] = {"kind": "ISSUES", "start": None, "end": None, "confidence": "likely"}
                edge |= {"properties": {}, "identifiers": {}, "sources": data["sources"]}
                edge["provenance"] = [provenance]
                edge["target"] = node_id
                self._wait(_Pending(ftm_id, line, where, edge, {"source": (issuer, frozenset({"Company"}))}))

    def _known(self, keys: Iterable[str], node_id: str, own: str) -> None:
        """An entity (FtM id ``own``) known from here as node ``node_id`` by its FtM ids ``keys`` (its
        id and referents): the links that waited only for it are ready.

        A link naming an FtM id names the node of the entity of that id once it is read, not of one
        listing it among its referents (a merged from b): so its record names a node the final file
        of a delta deleting a, or taking b from a's referents, still gives (issue 9), as a delta's
        reader finds it (loaders/workspace/loading.py, _KnownIds: an entity's own records first).
        """
        for key in keys:
            if key == own:
                self._own.add(key)
            elif key in self._own or (self.own_given is not None and self.own_given(key)):
                continue  # its own entity's node (read before, or given before a delta), kept
            self.known[key] = node_id
            for pending in self._waiting.pop(key, ()):
                pending.missing -= 1
                if pending.missing == 0 and not pending.dropped:
                    self._ready.append(pending)

    def _wait(self, pending: _Pending) -> None:
        """An edge read: ready to give when its ends are known, else waiting for them."""
        ends = {ftm for ftm, _ in pending.ends.values()}
        if ends & self._skipped_ids:
            self._leave_out(pending, min(ends & self._skipped_ids))
            return
        self._edges_read += 1
        pending.order = self._edges_read
        missing = [ftm for ftm in ends if ftm not in self.known]
        if not missing:
            self._ready.append(pending)
            return
        pending.missing = len(missing)
        pending.late, pending.after = True, self._after
        for ftm in missing:
            self._waiting.setdefault(ftm, []).append(pending)

    def _leave_out(self, pending: _Pending, via: str) -> None:
        """A link left out for its end ``via``, of a schema we skip: counted, and kept as it waited."""
        pending.dropped = True
        self.skipped_links += 1
        self.links_left_out.append((via, pending.origin, pending_json(pending), self._after))
        if pending.late and pending.after != pending.origin:
            self._late.setdefault(pending.origin, pending.after)  # its line's place, for a delta

    def known_again(self, keys: Iterable[str], node_id: str, origin: str) -> Iterator[Row]:
        """A delta: an entity of its dataset given again from its records (node ``node_id``, FtM ids
        ``keys``: its id and referents) is known from here, as if its line were read; the links
        waiting for it, given."""
        self._known(keys, node_id, origin)
        self._after = origin
        if self._ready:
            yield from self.ready_rows()

    def wait_again(self, origin: str, line: int, text: str) -> None:
        """A link a delta's dataset left out before (``pending_json``), read again as if its entity's
        line were ``line``: given once its ends are known, or left out again."""
        said = json.loads(text)
        ends = {end: (ftm, frozenset[str]()) for end, ftm in said["ends"].items()}
        self._wait(_Pending(origin, line, said["where"], said["data"], ends))

    def left_out(self) -> list[tuple[str, str | None, str | None, str | None]]:
        """What the reader left out, as the workspace keeps it: each entity of a schema we skip
        ``(FtM id, None, None, after)``, then each link left out ``(its skipped end, its entity,
        pending, after)``; ``after``: the origin of the last row given before it (None: none was)."""
        entities = [
            (ftm_id, None, None, self._skipped_after.get(ftm_id)) for ftm_id in sorted(self._skipped_ids)
        ]
        return [*entities, *self.links_left_out]

    def given_late(self) -> list[tuple[str, str | None]]:
        """The links the reader gave late (their ends further down the file), or left out late (an end
        it waited for, of a schema we skip), as the workspace keeps them: ``(their entity, after)``,
        ``after`` the origin of the last row given before the line (None: none was)."""
        return list(self._late.items())

    def _sanction(
        self, ftm_id: str, refs: dict[str, list[str]], provenance: dict[str, Any], line: int, where: str
    ) -> None:
        entities = refs.get("entity", [])
        if not entities:
            raise LoadError(self.file, line, f"{where}.properties.entity", "a Sanction needs an entity")
        # OFAC's program tag (CMIC-EO13959) when the source gives one, else OpenSanctions' programId.
        codes = [p for p in refs.get("program", []) if p.strip() and " " not in p.strip()]
        programs = codes or refs.get("programId") or refs.get("program") or []
        program = programs[0] if programs else ""
        if not program.strip():
            raise LoadError(self.file, line, f"{where}.properties.program", "a Sanction needs a program")
        dates = {
            prop: self._date(refs[prop][0], line, f"{where}.properties.{prop}")
            for prop in ("listingDate", "startDate", "endDate")
            if refs.get(prop)
        }
        start = dates.get("listingDate") or dates.get("startDate")
        # What this listing says of its list (the list node's name and codes, from the first listing
        # of the program a file gives): kept on the listing, so that a delta taking that one out
        # makes the list from the next, as a load of the final file does (loaders/workspace/lists.py).
        name = (refs.get("program") or [program])[0]
        codes = list_codes(program, [*refs.get("programId", []), *refs.get("program", [])])
        properties: dict[str, Any] = {"program": program}
        if name != program:
            properties["program_name"] = name
        if "startDate" in dates and dates["startDate"] != start:
            properties["effective"] = dates["startDate"]
        for prop in ("authority", "reason", "provisions"):
            if refs.get(prop):
                properties[prop] = refs[prop][0]
        title = f"{(refs.get('authority') or [self.dataset])[0]}: {program}"
        data = {
            "kind": "LISTED_ON",
            "target": list_id(program),
            "start": start,
            "end": dates.get("endDate"),
            "confidence": "likely",
            "properties": properties,
            "identifiers": {"ftm_id": [ftm_id], "program": codes},
            "sources": [self._source(ftm_id, refs, title, line, where)],
            "provenance": [provenance],
        }
        for entity in entities:
            ends = {"source": (entity, frozenset({"Company", "Person", "GovernmentBody"}))}
            self._wait(_Pending(ftm_id, line, where, dict(data), ends))

    def _link(
        self,
        ftm_id: str,
        kind: str,
        props: tuple[str, str],
        refs: dict[str, list[str]],
        provenance: dict[str, Any],
        line: int,
        where: str,
    ) -> None:
        source, target = (refs.get(p, []) for p in props)
        if not source or not target:
            missing = props[0] if not source else props[1]
            raise LoadError(self.file, line, f"{where}.properties.{missing}", f"missing {missing}")
        properties: dict[str, Any] = {}
        for prop in ("role", "percentage", "summary"):
            if refs.get(prop):
                properties[prop] = refs[prop][0]
        dates = {
            prop: self._date(refs[prop][0], line, f"{where}.properties.{prop}")
            for prop in ("startDate", "endDate")
            if refs.get(prop)
        }
        data = {
            "kind": kind,
            "start": dates.get("startDate"),
            "end": dates.get("endDate"),
            "confidence": "likely",
            "properties": properties,
            "identifiers": {"ftm_id": [ftm_id]},
            "sources": [self._source(ftm_id, refs, f"{kind} {source[0]} → {target[0]}", line, where)],
            "provenance": [provenance],
        }
        any_kind = frozenset({"Company", "Person", "GovernmentBody"})
        ends = {"source": (source[0], any_kind), "target": (target[0], any_kind)}
        self._wait(_Pending(ftm_id, line, where, data, ends))

    def ready(self, final: bool = False) -> Iterator[Record]:
        """Edges whose endpoints are now known (at the end: all, or an error)."""
        for row in self.ready_rows(final):
            yield row_record(row)

    def ready_rows(self, final: bool = False) -> Iterator[Row]:
        """:meth:`ready`, as plain rows."""
        ready, self._ready = self._ready, []
        ready.sort(key=lambda pending: pending.order)
        for pending in ready:
            data = pending.data
            if data["kind"] == "LISTED_ON" and data["properties"]["program"] not in self.lists_given:
                # The list of a program, as its first listing given says it (name and codes): given
                # with that listing, so that a program whose listings are all left out has none.
                program = data["properties"]["program"]
                self.lists_given.add(program)
                name = data["properties"].get("program_name", program)
                node = list_node(program, name, self.dataset, data["identifiers"]["program"])
                self._after = f"program:{program}"
                yield Row(self._after, False, node.model_dump(mode="json"))
            if pending.late and pending.after != pending.origin:
                self._late.setdefault(pending.origin, pending.after)
            self._after = pending.origin
            yield self._edge(pending)
        if final:
            left = [p for waiting in self._waiting.values() for p in waiting if not p.dropped]
            if left and self.skipped_before is not None:
                # A delta: a link to an entity its dataset gave before, of a schema we skip.
                skipped = self.skipped_before({ftm for p in left for ftm, _ in p.ends.values()})
                for pending in sorted(left, key=lambda p: p.order):
                    via = sorted(ftm for ftm, _ in pending.ends.values() if ftm in skipped)
                    if via and not pending.dropped:  # (a link waiting for two ends is listed twice)
                        self._leave_out(pending, via[0])
                left = [p for p in left if not p.dropped]
            if left:
                pending = min(left, key=lambda p: p.order)
                ftm = next(f for f, _ in pending.ends.values() if f not in self.known)
                raise LoadError(self.file, pending.line, pending.where, f"refers to unknown entity {ftm!r}")

    def _edge(self, pending: _Pending) -> Row:
        data = dict(pending.data)
        for end, (ftm, _kinds) in pending.ends.items():
            data[end] = self.known[ftm]
        data["id"] = edge_id(data["kind"], data["source"], data["target"], data.get("start"))
        data["id"] += f"|{pending.origin}"
        return Row(pending.origin, True, self._edge_doc(data, pending.line, pending.where), pending.line)

    # The reader builds ids, kinds, dates, sources and provenance itself and checks each as it
    # goes; the document is then made without a model (most of a load's time went into them),
    # after checking here what the reader did not: names, identifiers, periods, typed
    # properties. tests/loaders/test_parser_properties.py holds that bad input is still a LoadError,
    # and tests/loaders/test_ftm.py that a document reads back as the model it stands for.
    def _node_doc(self, data: dict[str, Any], line: int, where: str) -> dict[str, Any]:
        if not data["name"].strip():
            raise LoadError(self.file, line, f"{where}.name", "empty name")
        try:
            check_identifiers(data.get("identifiers", {}))
        except ValueError as exc:
            raise LoadError(self.file, line, f"{where}.identifiers", str(exc)) from None
        return {
            "id": data["id"],
            "kind": data["kind"],
            "name": data["name"],
            "aliases": data["aliases"],
            "properties": data["properties"],
            "sources": data["sources"],
            "identifiers": data["identifiers"],
            "provenance": data["provenance"],
            "disputed": [],
            "claims": [],
        }

    def _edge_doc(self, data: dict[str, Any], line: int, where: str) -> dict[str, Any]:
        start, end = data.get("start"), data.get("end")
        if start and end and _first_day(end) < _first_day(start):
            raise LoadError(self.file, line, where, f"end {end} is before start {start}")
        try:
            check_identifiers(data.get("identifiers", {}))
        except ValueError as exc:
            raise LoadError(self.file, line, f"{where}.identifiers", str(exc)) from None
        for name, value in data.get("properties", {}).items():
            problem = property_problem(name, value)
            if problem:
                raise LoadError(self.file, line, f"{where}.properties", problem)
        return {
            "id": data["id"],
            "kind": data["kind"],
            "source": data["source"],
            "target": data["target"],
            "start": data.get("start"),
            "end": data.get("end"),
            "confidence": data["confidence"],
            "sources": data["sources"],
            "note": None,
            "properties": data.get("properties", {}),
            "disputed": [],
            "identifiers": data.get("identifiers", {}),
            "provenance": data["provenance"],
        }


_LIST = frozenset({list})
# Entries each of the reader's caches holds at most.
CACHED = 4096


def _remember(cache: dict[Any, Any], key: Any, value: Any) -> None:
    """``cache[key] = value``, the cache emptied first when full: its memory is bounded, not
    growing with the file (a file that keeps giving new values only misses the cache)."""
    if len(cache) >= CACHED:
        cache.clear()
    cache[key] = value


def _first_day(value: str) -> str:
    """The first day a date the reader checked (``YYYY[-MM[-DD]]``, :func:`~loaders.records.iso_date`)
    can mean, as ISO text: compared as text, as :func:`graph.model.first_day`'s dates compare, without
    parsing the date again (a load compares the two ends of a third of its links).

    >>> _first_day("2021"), _first_day("2021-05"), _first_day("2021-05-03")
    ('2021-01-01', '2021-05-01', '2021-05-03')
    """
    return value + "-01-01"[: 10 - len(value)]


def _strings(values: list[Any]) -> bool:
    """Whether every value is a string (a C-speed check: the common case of every property)."""
    try:
        "".join(values)
    except TypeError:
        return False
    return True


def pending_json(pending: _Pending) -> str:
    """A link as it waits for its ends (its edge so far, where it was read, its ends' FtM ids)."""
    return waiting_json(pending.where, pending.data, {end: ftm for end, (ftm, _) in pending.ends.items()})


def waiting_json(where: str, data: Mapping[str, Any], ends: Mapping[str, str]) -> str:
    """The text a link left out is kept as (``left_out.doc``, loaders/workspace/skips.py), whether a
    reader or a delta left it out: ``where`` it was read, its edge so far (``data``), and the FtM
    ids of the ``ends`` it waits for ("source", "target"); :meth:`FtmReader.wait_again` reads it."""
    return json.dumps({"where": where, "data": data, "ends": dict(ends)})


def _node_id(kind: str, ftm_id: str, tickers: list[str]) -> str:
    if kind == "Security" and tickers:
        return "SEC:" + tickers[0]  # the id the curated data gives the same listing
    return f"{PREFIX[kind]}:{_SAFE.sub('-', ftm_id)}"


def _identifiers(ftm_id: str, raw: Mapping[str, Any], refs: Mapping[str, list[str]]) -> dict[str, list[str]]:
    """The identifiers a node of FtM entity ``ftm_id`` carries (``refs``: its properties' values)."""
    referents = [r for r in raw.get("referents", []) if isinstance(r, str)]
    identifiers: dict[str, list[str]] = {"ftm_id": [ftm_id, *referents]}
    # OpenSanctions names the OFAC entries it merged `ofac-<entity number>`.
    ofac = [m.group(1) for r in (ftm_id, *referents) if r[:5] == "ofac-" and (m := _OFAC.match(r))]
    if ofac:
        identifiers["ofac_uid"] = ofac
    for scheme, props in _CODES:
        if refs.keys().isdisjoint(props):  # most entities have no ISIN or LEI
            continue
        values = sorted({v.upper() for p in props if p in refs for v in refs[p]})
        if values:
            identifiers[scheme] = values
    if "ticker" in refs:
        parsed = [parse_ticker(v) for v in refs["ticker"]]
        tickers = sorted({f"{t[0]}:{t[1]}" for t in parsed if t and t[0]})
        if tickers:
            identifiers["ticker"] = tickers
    return identifiers


def entity_identifiers(raw: Mapping[str, Any]) -> dict[str, list[str]]:
    """The identifiers of the node an FtM entity gives (none: it gives none, or cannot be read; reading
    it says why), without reading the rest of it.

    >>> entity_identifiers({"id": "a", "schema": "Company", "properties": {"leiCode": ["5493001kj"]}})
    {'ftm_id': ['a'], 'lei': ['5493001KJ']}
    >>> entity_identifiers({"id": "v", "schema": "Vessel"})
    {}
    """
    ftm_id, props = raw.get("id"), raw.get("properties")
    if (
        str(raw.get("schema")) not in NODE_SCHEMATA
        or not isinstance(ftm_id, str)
        or not isinstance(props, dict)
    ):
        return {}
    refs = {
        name: [v for v in values if isinstance(v, str)]
        for name in _CODED
        if isinstance(values := props.get(name), list)
    }
    return _identifiers(ftm_id, raw, refs)


def has_other_identifiers(raw: Mapping[str, Any]) -> bool:
    """Whether an FtM entity may give identifiers beyond its own FtM id (referents, an OFAC entry, a
    code): most do not, and are not read further.

    >>> has_other_identifiers({"id": "a", "schema": "Company", "properties": {"name": ["A"]}})
    False
    """
    props = raw.get("properties")
    return (
        bool(raw.get("referents"))
        or str(raw.get("id")).startswith("ofac-")
        or (isinstance(props, dict) and any(name in props for name in _CODED))
    )


def entity_link_ends(raw: Mapping[str, Any]) -> list[str] | None:
    """The FtM ids of the entities a link entity (a Sanction, an Ownership, a Directorship…) names
    as its ends, as the reader takes them (None: it is no link), without reading the rest of it.

    >>> entity_link_ends({"id": "o", "schema": "Ownership", "properties": {"owner": ["p"], "asset": ["c"]}})
    ['c', 'p']
    >>> entity_link_ends({"id": "c", "schema": "Company"}) is None
    True
    """
    schema, props = str(raw.get("schema")), raw.get("properties")
    names = {"Sanction": ("entity",), "Ownership": ("asset", "owner")}.get(schema) or ROLE_SCHEMATA.get(
        schema
    )
    if names is None:
        return None
    if not isinstance(props, dict):
        return []
    ends: list[str] = []
    for name in names:
        values = props.get(name)
        found = [
            str(v.get("id")) if isinstance(v, dict) else str(v)
            for v in (values if isinstance(values, list) else [])
            if isinstance(v, dict | str)
        ]
        ends += found if schema == "Sanction" else found[:1]
    return ends


def entity_node_id(raw: Mapping[str, Any]) -> str | None:
    """The id of the node an FtM entity gives (None: it gives none, or cannot be read; reading it
    says why), without reading the rest of it.

    >>> entity_node_id({"id": "x 1", "schema": "PublicBody", "properties": {"name": ["X"]}})
    'BODY:x-1'
    >>> entity_node_id({"id": "s", "schema": "Security", "properties": {"ticker": ["1810.HK"]}})
    'SEC:HKEX:1810'
    >>> entity_node_id({"id": "v", "schema": "Vessel"}) is None
    True
    """
    kind, ftm_id = NODE_SCHEMATA.get(str(raw.get("schema"))), raw.get("id")
    if kind is None or not isinstance(ftm_id, str):
        return None
    tickers: list[str] = []
    props = raw.get("properties")
    if kind == "Security" and isinstance(props, dict) and isinstance(props.get("ticker"), list):
        parsed = [parse_ticker(v) for v in props["ticker"] if isinstance(v, str)]
        tickers = sorted({f"{t[0]}:{t[1]}" for t in parsed if t and t[0]})
    return _node_id(kind, ftm_id, tickers)


def row_record(row: Row) -> Record:
    """The record a plain row stands for: its model, constructed (the reader checked the row)."""
    doc = row.doc
    parts = {
        "sources": [constructed(Source, s) for s in doc["sources"]],
        "provenance": [constructed(Provenance, p) for p in doc["provenance"]],
    }
    data = {**doc, **parts}
    item: Node | Edge = constructed(Edge, data) if row.is_edge else constructed(Node, data)
    return Record(row.origin, item)


def list_id(program: str) -> str:
    """The node id of the list a sanctions program keeps: ``CMIC-EO13959`` → ``LIST:CMIC-EO13959``."""
    return "LIST:" + _SAFE.sub("-", program.strip())


def list_codes(program: str, codes: Iterable[str] = ()) -> list[str]:
    """The codes a list of ``program`` is known by: the program first, then the others named that are codes.

    >>> list_codes("CMIC-EO13959", ["US-CMIC", "CMIC-EO13959", "Non-SDN CMIC List"])
    ['CMIC-EO13959', 'US-CMIC']
    """
    return [c for c in dict.fromkeys([program, *codes]) if _CODE.fullmatch(c)]


def list_node(program: str, name: str, dataset: str, codes: Iterable[str] = ()) -> Node:
    """A list node for a program the source names (resolution merges it with a known list)."""
    codes = list_codes(program, codes)
    return Node(
        id=list_id(program),
        kind="SanctionsList",
        name=name,
        properties={"program": program},
        identifiers={"program": codes},
        provenance=[Provenance(dataset=dataset)],
    )


def parse_ftm(
    lines: Iterable[tuple[int, str]],
    dataset: str,
    file: str = "<input>",
    known: Mapping[str, str] | None = None,
) -> Iterator[Record]:
    """Records from FtM entity JSON lines (numbered); ``known`` maps FtM ids loaded before to node ids."""
    return parse_ftm_reader(FtmReader(dataset, file, dict(known or {})), lines)


def parse_ftm_reader(reader: FtmReader, lines: Iterable[tuple[int, str]]) -> Iterator[Record]:
    """Records from FtM entity JSON lines, read by ``reader`` (which counts what it skips)."""
    for line, text in lines:
        yield from reader.entity(json_object(text, reader.file, line), line)
    yield from reader.ready(final=True)


def parse_ftm_rows(reader: FtmReader, lines: Iterable[tuple[int, str]]) -> Iterator[Row]:
    """:func:`parse_ftm_reader` as plain rows (what a bulk load writes), no model built."""
    for line, text in lines:
        yield from reader.rows(json_object(text, reader.file, line), line)
    yield from reader.ready_rows(final=True)


@dataclass(frozen=True)
class Change:
    """One line of an FtM delta file: what to do with the records of one entity."""

    op: str
    entity_id: str
    line: int
    entity: dict[str, Any]


def parse_ftm_delta(lines: Iterable[tuple[int, str]], file: str = "<input>") -> Iterator[Change]:
    """The changes of an FtM delta file, in order; each ADD/MOD carries the whole new entity."""
    for line, text in lines:
        raw = json_object(text, file, line)
        op = raw.get("op")
        if op not in OPS:
            raise LoadError(file, line, "op", f"{op!r} is not one of {', '.join(OPS)}")
        entity = raw.get("entity")
        if not isinstance(entity, dict) or not isinstance(entity.get("id"), str):
            raise LoadError(file, line, "entity.id", "a delta line needs an entity with an id")
        if op != "DEL" and not isinstance(entity.get("schema"), str):
            raise LoadError(file, line, "entity.schema", "missing schema")
        yield Change(str(op), entity["id"], line, entity)


def read_ftm(path: str | Path, dataset: str, known: Mapping[str, str] | None = None) -> Iterator[Record]:
    """Records from an FtM JSON lines file, streamed."""
    return parse_ftm(open_lines(path), dataset, str(path), known)


def read_ftm_delta(path: str | Path) -> Iterator[Change]:
    """The changes of an FtM delta file, streamed."""
    return parse_ftm_delta(open_lines(path), str(path))
