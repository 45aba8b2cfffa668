"""One error root for the whole project, with a subclass per way things fail."""

from __future__ import annotations


class OrdergraphError(Exception):
    """Base of every error ordergraph raises on purpose."""


class LoadError(OrdergraphError):
    """A data file is malformed: names the file, the line and the field.

    >>> str(LoadError("data/x.yaml", 3, "edges[0].start", "bad date '2021-13-01'"))
    "data/x.yaml:3: edges[0].start: bad date '2021-13-01'"
    """

    def __init__(self, file: str, line: int | None, field: str | None, message: str) -> None:
        self.file = file
        self.line = line
        self.field = field
        self.message = message
        where = file if line is None else f"{file}:{line}"
        what = f"{field}: {message}" if field else message
        super().__init__(f"{where}: {what}")


class LoadErrors(OrdergraphError):
    """Several LoadErrors found in one pass, so a data author sees them all at once."""

    def __init__(self, errors: list[LoadError]) -> None:
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


# What an unknown text's error says when a search found nothing near it.
NOTHING_LIKE = "nothing in the graph is named, coded or identified like it"


class UnknownEntity(OrdergraphError):
    """An id or ticker that matches nothing; carries close suggestions."""

    def __init__(
        self,
        text: str,
        suggestions: list[str],
        hint: str | None = None,
        *,
        ids: list[str] | None = None,
        exchange: str | None = None,
        listed: int = 0,
    ) -> None:
        """``suggestions``: what to say of each close entity (``id (name)``); ``ids``: their ids, in
        the same order (the ids before the first space when not given). For a ticker no listing has:
        ``exchange``, the exchange's node id when the graph holds it, and ``listed``, how many
        listings it holds there — each face says in its own words where to see them all."""
        self.text = text
        self.suggestions = suggestions
        self.ids = ids if ids is not None else [s.split(" ", 1)[0] for s in suggestions]
        self.exchange = exchange
        self.listed = listed
        if hint is None:
            # The text was searched for already (names, aliases, identifiers, tickers): a search
            # would find nothing more.
            hint = "did you mean " + ", ".join(suggestions) + "?" if suggestions else NOTHING_LIKE
        self.hint = hint
        super().__init__(f"unknown entity {text!r}: {hint}")

    @property
    def more_listed(self) -> str | None:
        """The exchange's node id when it holds listings beyond those suggested (where each face
        points the reader to see them all); None otherwise.

        >>> UnknownEntity("HKEX:9999", ["SEC:HKEX:1810 (x)"], exchange="EXCH:HKEX", listed=12).more_listed
        'EXCH:HKEX'
        >>> UnknownEntity("HKEX:9999", ["SEC:HKEX:1810 (x)"], exchange="EXCH:HKEX", listed=1).more_listed
        """
        return self.exchange if self.listed > len(self.suggestions) else None


class MissingNode(UnknownEntity):
    """A node that an edge or a fetched neighbourhood names is not in the store.

    The one way queries say "not there" for an id they did not take from the
    user (the store is inconsistent), instead of an ``assert`` that ``python -O``
    strips.

    >>> str(MissingNode("ORG:gone"))
    "node 'ORG:gone' is missing from the store"
    """

    def __init__(self, node_id: str) -> None:
        super().__init__(node_id, [])
        self.args = (f"node {node_id!r} is missing from the store",)


class AmbiguousEntity(OrdergraphError):
    """A bare code or name that matches several entities; lists them."""

    def __init__(self, text: str, candidates: list[str]) -> None:
        self.text = text
        self.candidates = candidates
        super().__init__(f"{text!r} matches several entities: {', '.join(candidates)}; which one?")


class StoreUnavailable(OrdergraphError):
    """A store backend cannot be reached or used."""


class GraphOutdated(StoreUnavailable):
    """A Neo4j graph this version cannot read as it is: an index its reads go through is missing or
    broken (an earlier ordergraph synced it, or nothing has). The message says to sync again."""


class SchemaRefused(OrdergraphError):
    """The server would not create a constraint or index ordergraph needs: a user without schema
    rights (Aura, a managed cluster), or data that already breaks it. The message names it."""
