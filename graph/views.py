"""The plain models that queries return: what a face (CLI, app) prints.

They serialise to the JSON contract of the CLI with ``model_dump(mode="json")``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Literal, TypedDict

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    computed_field,
    field_validator,
    model_validator,
)

from graph.evidence import end_names, start_stated_by
from graph.labels import identifiers_in_schema_order, in_schema_order
from graph.model import (
    Confidence,
    Disputed,
    Edge,
    Node,
    PropertyValue,
    Provenance,
    Source,
    Sources,
    by_authority,
    dated_by,
    is_date,
    ranked_for_kind,
    ranked_for_row,
    ranked_sources,
    stated_first,
)


class _View(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)


def _empty(value: object) -> bool:
    """A field left out of the JSON when it holds nothing (``exclude_if``): one most rows lack."""
    return not value


class _Dated(_View):
    """A view whose date one of its ``sources`` other than the first may give (those that state it:
    ``stated_by``): a face credits the date to :attr:`dated_by`, and the JSON gives its address,
    ``date_given_by``. A path's step, a timeline row, an exchange's state, a change."""

    if TYPE_CHECKING:  # each view declares them, in its own place in the JSON
        sources: list[Source]
        stated_by: list[Source]

    @property
    def dated_by(self) -> Source | None:
        """The most authoritative source that states the date (an edge's start, a row's day, an
        exchange's ``since``), when the first does not (EO 13943 names WeChat's developer; TechNode
        gives the launch day): the face credits the date to it, and keeps the first source first."""
        return dated_by(self.sources, self.stated_by)

    @computed_field(exclude_if=_empty)  # type: ignore[prop-decorator]
    @property
    def date_given_by(self) -> str | None:
        """In the JSON, the address of :attr:`dated_by`, where a face says "date as given by …"; left
        out where the first source gives the date, or the step is not known to (``EdgeRef.of``)."""
        source = self.dated_by
        return source.url if source is not None else None


class NodeRef(_View):
    """A node as a path or a list shows it."""

    type: Literal["node"] = "node"  # tells a path's nodes from its edges in JSON
    id: str
    kind: str
    name: str

    @classmethod
    def of(cls, node: Node) -> NodeRef:
        return cls(id=node.id, kind=node.kind, name=node.name)


class OrderRef(NodeRef):
    """An order as a line names it besides its id: ``number``, the ``title`` its name gives after
    the number (``Amending Executive Order 13959``) and the day it was ``signed``, where the node
    has them; faces word it with graph.plain.order_ref_label."""

    number: str | None = None
    title: str | None = None
    signed: str | None = None

    @classmethod
    def of(cls, node: Node) -> OrderRef:
        number, signed = node.properties.get("number"), node.properties.get("signed")
        return cls(
            id=node.id,
            kind=node.kind,
            name=node.name,
            number=str(number) if number is not None else None,
            title=node.name.partition(": ")[2] or None,
            signed=signed if isinstance(signed, str) and is_date(signed) else None,
        )


class EdgeRef(_Dated):
    """An edge with everything needed to check it: dates, sources, confidence."""

    type: Literal["edge"] = "edge"  # tells a path's edges from its nodes in JSON
    id: str
    kind: str
    source: str
    target: str
    start: str | None
    end: str | None
    confidence: str
    sources: Sources
    properties: dict[str, PropertyValue] = Field(default_factory=dict)
    disputed: list[Disputed] = Field(default_factory=list)
    note: str | None = None
    # Which of ``sources`` state its start (a why path's step: :func:`graph.evidence.start_stated_by`);
    # not part of the answer: the faces credit the date to :attr:`dated_by`.
    stated_by: Sources = Field(default_factory=list, exclude=True)

    _ordered = field_validator("properties")(in_schema_order)  # one order, whatever the store's

    @model_validator(mode="after")
    def _ranked(self) -> EdgeRef:
        self.sources = ranked_sources(self.sources, self.kind, self.properties)
        return self

    @classmethod
    def of(cls, edge: Edge, stated_by: list[Source] | None = None) -> EdgeRef:
        return cls(
            id=edge.id,
            kind=edge.kind,
            source=edge.source,
            target=edge.target,
            start=edge.start,
            end=edge.end,
            confidence=edge.confidence,
            sources=list(edge.sources),
            properties=dict(edge.properties),
            disputed=list(edge.disputed),
            note=edge.note,
            stated_by=stated_by or [],
        )

    @classmethod
    def step(cls, edge: Edge, ends: Iterable[Node]) -> EdgeRef:
        """``edge`` as a path's step between ``ends`` (its two end nodes, at hand on the path: no store
        read): it knows which of its sources state its start (by the names of both ends), so a face
        credits the day to one when the first does not give it (EO 13943 names WeChat's developer,
        TechNode dates the launch). Every path is built of these: ``affects``' why paths and
        :func:`graph.query.paths` alike.

        >>> src = [Source(url="https://example.org/eo", title="eo", publisher="p", kind="official",
        ...     quote="owned by the Chinese company Tencent"), Source(url="https://example.org/t", title="t",
        ...     publisher="p", kind="press", quote="Launched on January 21st, 2011, Weixin")]
        >>> nodes = [Node(id="ORG:t", kind="Company", name="Tencent"),
        ...     Node(id="APP:w", kind="App", name="WeChat", aliases=["Weixin"])]
        >>> develops = Edge(id="d", kind="DEVELOPS", source="ORG:t", target="APP:w", start="2011-01-21",
        ...     confidence="verified", sources=src)
        >>> EdgeRef.step(develops, nodes).dated_by.url, EdgeRef.of(develops).dated_by
        ('https://example.org/t', None)
        """
        return cls.of(edge, start_stated_by(edge, end_names(edge, ends)))


# A path alternates nodes and edges: [node, edge, node, edge, node, …].
Path = list[NodeRef | EdgeRef]


def walked(path: Path) -> Iterator[tuple[NodeRef | EdgeRef, bool]]:
    """Each step of a path with whether it is walked the way it reads: an edge from its source
    (a path from a security to its issuer walks ``ISSUES`` against its arrow); a node, always."""
    came_from = ""
    for step in path:
        if isinstance(step, NodeRef):
            came_from = step.id
            yield step, True
        else:
            yield step, step.source == came_from


MatchReason = Literal["id", "ticker", "identifier", "name", "alias", "number"]


class SearchHit(_View):
    """A search result: what matched (``matched``), why (``why``), whether it names the text exactly
    (``exact``: by id, ticker or identifier, or a name or alias that is the text, normalised) and
    what the entity is (``summary``)."""

    id: str
    kind: str
    name: str
    score: float
    matched: str
    why: MatchReason = "name"
    summary: str = ""
    exact: bool = False


class EdgeView(EdgeRef):
    """One edge as seen from one of its ends (``show``): which way it points, and the other end;
    its identifiers by scheme, and the datasets that gave it with when each first and last saw it."""

    direction: Literal["out", "in"]
    other: NodeRef
    identifiers: dict[str, list[str]] = Field(default_factory=dict)
    provenance: list[Provenance] = Field(default_factory=list)
    # A security's trading on an exchange that ended (its delisting) while the exchange's suspension
    # of it held: the day that suspension began, when trading there in fact stopped.
    trading_suspended_since: str | None = None

    @classmethod
    def seen_from(
        cls, edge: Edge, node_id: str, other: Node, trading_suspended_since: str | None = None
    ) -> EdgeView:
        return cls(
            **dict(EdgeRef.of(edge)),
            direction="out" if edge.source == node_id else "in",
            other=NodeRef.of(other),
            identifiers=identifiers_in_schema_order(edge.identifiers),
            provenance=list(edge.provenance),
            trading_suspended_since=trading_suspended_since,
        )


class EditionCount(_View):
    """How many members of a list the graph holds, against what the list published.

    ``edition`` is the day of a published edition (``None``: every member ever listed);
    ``published`` is that edition's size when a source gives it; ``size_status`` says how
    sure that size is (``verified``, ``disputed``: ``size_alternative`` is the figure other
    sources give, ``unconfirmed``: no source of the list's keeper gives it). ``size_recorded``, on
    the row of every member ever listed: whether any published size of the list is recorded (OFAC's
    NS-CCMC List: none, so the members shown may not be all it ever named). ``listed_on`` and
    ``partial``, on that row, when the counts are of what a view drew (:func:`graph.query.membership`).
    """

    edition: str | None
    published: int | None
    shown: int
    size_status: str | None = None
    size_alternative: int | None = None
    size_recorded: bool = True
    # On the row of every member, counted from what a view drew (``neighbours`` of the list): the
    # day the members drawn are listed on, and whether the list, a hub, was not drawn whole.
    listed_on: str | None = Field(default=None, exclude_if=_empty)
    partial: bool = Field(default=False, exclude_if=_empty)


class ClaimedValue(_View):
    """One value datasets give for a property, with those datasets and their sources."""

    value: PropertyValue
    kept: bool  # the value the entity shows (the one given first)
    datasets: list[str]
    sources: Sources


class DisputedProperty(_View):
    """A property datasets disagree on: every value, the kept one first."""

    field: str
    values: list[ClaimedValue]


class EntityView(_View):
    id: str
    kind: str
    name: str
    aliases: list[str]
    properties: dict[str, PropertyValue]
    sources: Sources
    edges: list[EdgeView]
    membership: list[EditionCount] = Field(default_factory=list)
    datasets: list[str] = Field(default_factory=list)
    # Identifiers by scheme (isin, ofac_uid, ftm_id…), and each dataset that gave the entity with
    # when it first and last saw it (``datasets`` are their names).
    identifiers: dict[str, list[str]] = Field(default_factory=dict)
    provenance: list[Provenance] = Field(default_factory=list)
    # Properties the datasets disagree on, each value with who gives it (nothing silently picked).
    disputed: list[DisputedProperty] = Field(default_factory=list)

    _ranked = field_validator("sources")(ranked_for_kind)
    _ordered = field_validator("properties")(in_schema_order)  # one order, whatever the store's


class TimelineEvent(_Dated):
    """One dated row; ``order`` is the executive order the row is about, when there is one.

    ``kind`` says what the row is: an edge's kind (its start or end), an entity's own dated property
    (``signed``), ``DISPUTED`` (a date other sources give), or a row an order's rule makes of an edge
    (``PROHIBITIONS``: when they were due and whether they applied; ``DIVEST_WINDOW``; ``RULE_BEGINS``,
    ``RULE_ENDS``: when the rule reached a listing and stopped applying), whose ``fact`` is that edge's kind.

    ``sources`` are ranked most authoritative first for the fact the row states: its own
    ``kind``'s, or ``fact`` when that differs — ``ENJOINS`` on a rule's row whose words turn on an
    injunction ("prohibitions due, but enjoined since …", "never applied (enjoined on …)"): the
    court's order states that claim, so it comes first; within a kind, those that state the row's
    date (``stated_by``: an edge's start row, the sources whose words give the start and name the
    entity, :func:`graph.evidence.states_start`; an end row, those that state the end) come first
    (:func:`graph.model.stated_first`). When the first source does not give the date (OFAC's
    ``cons_prim.csv`` gives a ticker, no listing day), :attr:`dated_by` is the one that does.
    """

    date: str
    kind: str
    fact: str | None = None
    description: str
    other: NodeRef | None
    edge_id: str | None
    # A listing's secondary sources that do not name the company (its edge's ``not_named_by``): they
    # follow the others (graph.model.ranked_sources); not part of the answer (the order is).
    not_named_by: list[str] = Field(default_factory=list, exclude=True)
    # Which of ``sources`` state the date: first within their kind; not part of the answer (the order is).
    stated_by: Sources = Field(default_factory=list, exclude=True)
    sources: Sources
    order: NodeRef | None = None
    sources_note: str | None = None  # why ``sources`` is empty: no source states this end
    # When no source states the date: those that only announced it ahead (graph.evidence.announced_by).
    announced_by: Sources = Field(default_factory=list, exclude_if=_empty)
    # An exchange's action's row: the action's code (``reverse``), which names its kind
    # (graph.labels.event_kind_label: "withdrawal of the delisting", never "acts on").
    action: str | None = Field(default=None, exclude_if=_empty)
    # The least sure confidence of the edges the row rests on (its edge; a rule's row, the listing
    # and the rule too): the description says "(likely)" when it is not ``verified``
    # (graph.plain.unsure); None for an entity's own event (an order signed), which rests on no edge.
    confidence: Confidence | None = Field(default=None, exclude_if=_empty)

    _ranked = field_validator("stated_by")(ranked_for_kind)
    _stated_first = field_validator("sources")(ranked_for_row)


class Timeline(_View):
    id: str
    events: list[TimelineEvent]


class Subgraph(_View):
    """Nodes and edges around a centre. ``more``: the hubs shown but not walked through
    (more edges than :data:`graph.store.base.HUB`), each with how many of its edges are not
    shown, so a face can say "showing N of M"."""

    nodes: list[NodeRef]
    edges: list[EdgeRef]
    more: dict[str, int] = {}


class Claim(_View):
    """One side of a disagreement about when (or whether) an order applies.

    ``not_covered``: under this reading the order does not reach the security that day.
    ``kind``: the kind of fact whose reading this is (``ENJOINS`` for another date of an
    injunction), which ranks its sources; not part of the answer.
    """

    status: Literal["in_force", "pending", "enjoined", "not_covered"]
    applies_from: str | None
    basis: str
    kind: str | None = Field(default=None, exclude=True)
    # What the sources state when ``applies_from`` is derived from it by the rule ("2021-03-10 as
    # the listing's start": a filing dating the listing, not the prohibitions); not part of the answer.
    given: str | None = Field(default=None, exclude=True)
    # The case in which the sources give this day, giving the answer's own day otherwise
    # (:attr:`graph.model.Disputed.condition`); the basis says it in words.
    condition: str | None = Field(default=None, exclude=True)
    # The sources of the listing this reading rests on that do not name the company (its edge's
    # ``not_named_by``): they follow the others, as on the listing (graph.model.ranked_sources).
    not_named_by: list[str] = Field(default_factory=list, exclude=True)
    sources: Sources
    # The sources that themselves state this reading (a disputed value's own sources, or a
    # listing that fixes its start of prohibitions); empty when the date is derived from a
    # listing and a rule. Who the plain sentence credits; ``sources`` stays the full trail.
    stated_by: Sources = Field(default_factory=list, exclude=True)

    _ranked = field_validator("sources", "stated_by")(ranked_for_kind)


class SecurityRef(_View):
    id: str
    name: str
    exchange: str | None
    code: str | None

    @classmethod
    def of(cls, node: Node) -> SecurityRef:
        exchange, code = node.properties.get("exchange"), node.properties.get("code")
        return cls(
            id=node.id,
            name=node.name,
            exchange=str(exchange) if exchange is not None else None,
            code=str(code) if code is not None else None,
        )


ExchangeState = Literal["delisting_announced", "delisting_withdrawn", "suspended", "delisted"]


class ExchangeStatus(_Dated):
    """What an exchange had done about the security by the end of the day.

    ``delisting_announced``: an announced delisting that was neither withdrawn nor yet
    carried out; ``delisting_withdrawn``: the exchange withdrew it and no new announcement
    has followed; ``suspended`` and ``delisted``: trading suspended, or the listing struck.
    """

    state: ExchangeState
    since: str | None
    by: NodeRef
    time: str | None
    edge_id: str
    # The confidence of the edge the state is read from: a face says when it is not ``verified``.
    confidence: Confidence
    # Which of ``sources`` state ``since``: first within their kind; not part of the answer.
    stated_by: Sources = Field(default_factory=list, exclude=True)
    sources: Sources
    # When no source states ``since``: those that only announced it ahead (graph.evidence.announced_by).
    announced_by: Sources = Field(default_factory=list, exclude_if=_empty)

    @field_validator("stated_by")
    @classmethod
    def _exchange_first(cls, value: list[Source]) -> list[Source]:
        return by_authority(value, "EXCHANGE_ACTION")

    @field_validator("sources")
    @classmethod
    def _stated_first(cls, value: list[Source], info: ValidationInfo) -> list[Source]:
        return stated_first(value, info.data.get("stated_by") or [], "EXCHANGE_ACTION")


class Injunction(_View):
    """A court order that blocks an order for this security on the day, and on whose word.

    ``since`` and ``until``: its period as the sources give it (a day, or only a month when
    that is all they give); ``court``: the court as reporters abbreviate it (``D.D.C.``);
    ``nationwide``: it protects everyone, not only the parties it names;
    ``sources``: those that state the injunction (not those that only date its end), the court's first.
    """

    case: NodeRef
    court: str | None
    since: str | None
    until: str | None
    nationwide: bool = False
    edge_id: str
    sources: Sources

    @field_validator("sources")
    @classmethod
    def _court_first(cls, value: list[Source]) -> list[Source]:
        return by_authority(value, "ENJOINS")


# Where an order stands for a security on a day (graph.affects): in force, pending (its prohibitions
# not yet due) or enjoined.
OrderStatus = Literal["in_force", "pending", "enjoined"]


class OrderEffect(_View):
    """How one order bears on one security on one day, and why.

    ``enjoined_by``: the cases whose injunctions hold that day; ``injunctions``: the same
    injunctions with their dates and sources.
    """

    id: str
    number: str | None
    title: str | None
    restriction: Literal["securities", "transactions"]
    status: OrderStatus
    # The rule's day (the issuer's: its listing and the rule's wait); ``security_applies_from`` is
    # the security's own, where it was issued later (graph.plain.security_applies_from: China
    # Telecom's Shanghai A-share, issued 2021-08-20 under a rule applying to the company from
    # 2021-08-02). ``affects`` sets it; a face words both with graph.plain.from_day.
    applies_from: str | None
    basis: str
    security_applies_from: str | None = None
    divest_until: str | None = None
    # The hour the order ends the window on divest_until ("through 23:59 EST": that day included;
    # "before 00:01 EDT": prior to it), where the order's text gives one; faces word it with
    # graph.plain.divest_window / divest_cell.
    divest_time: str | None = None
    # Whether that window had closed by the end of the day asked about (graph.affects.divest_closed),
    # and what the rule lets a holder do from then: keep the security (EO 14032, OFAC FAQ 1046) or
    # not; None where the data does not say.
    divest_closed: bool = False
    holding_after_divest: Literal["allowed", "prohibited"] | None = None
    enjoined_by: list[NodeRef] = Field(default_factory=list)
    injunctions: list[Injunction] = Field(default_factory=list)
    amended_by: list[OrderRef] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)
    paths: list[Path]
    sources: Sources


class Explanation(_View):
    """Why a route from the security to an order does not hold on ``as_of``: the edges that say so,
    with their sources; for a reason no edge carries (an order not yet signed on the day), the
    sources that give it (the order's own, which give its signing date) in ``sources``."""

    order: NodeRef | None
    reason: str
    edges: list[EdgeRef] = Field(default_factory=list)
    sources: Sources = Field(default_factory=list)


class AffectsAnswer(_View):
    security: SecurityRef
    as_of: str
    exchange_status: ExchangeStatus | None
    orders: list[OrderEffect]
    explanations: list[Explanation]


class Stats(_View):
    nodes: int
    edges: int
    by_kind: dict[str, int]
    by_edge_kind: dict[str, int]
    unsourced_edges: int


# ---- views for the app and the CLI alike: reaches, screen, cite, changes, listed securities ----


class EffectCells(TypedDict):
    """What a row of securities under an order (:class:`ReachedSecurity`, :class:`ScreenRow`) takes
    from the order's effect on one (:func:`effect_cells`)."""

    status: OrderStatus
    applies_from: str | None
    security_applies_from: str | None
    divest_until: str | None
    divest_time: str | None
    disputed: bool


def effect_cells(effect: OrderEffect) -> EffectCells:
    """The status, the rule's day and the security's own, the divest-only window and whether the
    sources disagree (``claims``) of ``effect``, as a row of securities under an order gives them."""
    return EffectCells(
        status=effect.status,
        applies_from=effect.applies_from,
        security_applies_from=effect.security_applies_from,
        divest_until=effect.divest_until,
        divest_time=effect.divest_time,
        disputed=bool(effect.claims),
    )


class ReachedSecurity(_View):
    """One security an order affects on a day (``reaches``)."""

    security: SecurityRef
    issuer: NodeRef | None
    status: OrderStatus
    applies_from: str | None
    # The day the order applies to the security itself (:attr:`OrderEffect.security_applies_from`).
    security_applies_from: str | None
    divest_until: str | None
    disputed: bool
    divest_time: str | None = None
    basis: str
    # What the exchange had done by the day (``affects``' own): a listing struck before the order
    # reached it is still on the order's list, but no longer traded there.
    exchange_status: ExchangeStatus | None = None


class OrderEnded(_View):
    """How and when an order stopped applying, as the REVOKES or SUPERSEDES edge that ended it says.

    ``how`` is ``revoked`` (the order, or what ``scope`` says, no longer in force) or ``superseded``
    (what ``scope`` names replaced by ``by``; the order itself may stay in force, as amended).
    ``on`` is the edge's start, ``last_day`` the day before: the last day the order (revoked) or
    its superseded parts applied. ``securities`` is what the order reached on ``last_day`` and
    ``counts`` those by status; ``restricts_securities`` says whether the order governs a list with
    a securities rule (the app bans are transaction bans); ``injunctions`` are the court orders on
    the order that held on ``last_day``."""

    how: Literal["revoked", "superseded"]
    on: str
    last_day: str
    by: NodeRef
    scope: str | None
    edge: EdgeRef
    restricts_securities: bool
    securities: list[ReachedSecurity]
    counts: dict[str, int]
    injunctions: list[Injunction] = Field(default_factory=list)


class ReachesAnswer(_View):
    """The securities an order reaches on ``as_of``; ``inactive``: why the order has no effect
    that day (not yet signed, revoked, superseded) with the REVOKES/SUPERSEDES edge that says so
    and its sources, else None; ``ended``: for an order revoked or superseded by then, when and how,
    and what it reached on its last day (:class:`OrderEnded`), else None. ``restricts_securities``:
    the order governs a list with a securities rule (EO 13959, 14032), which covers every publicly
    traded security of a listed company, of which the graph holds the listed shares and depositary
    shares only (not bonds): a face says so beside the count."""

    order: NodeRef
    as_of: str
    securities: list[ReachedSecurity]
    inactive: Explanation | None = None
    ended: OrderEnded | None = None
    restricts_securities: bool = False


class ScreenRow(_View):
    """One holding hit by one order (a holding hit by two orders gives two rows)."""

    input: str
    security: SecurityRef
    order: NodeRef
    restriction: Literal["securities", "transactions"]
    status: OrderStatus
    applies_from: str | None
    # The day the order applies to the security itself (:attr:`OrderEffect.security_applies_from`).
    security_applies_from: str | None
    divest_until: str | None
    disputed: bool
    divest_time: str | None = None
    sentence: str


class Unresolved(_View):
    """A holding the screen could not pin to one security: never dropped, always with suggestions."""

    input: str
    problem: Literal["unknown", "ambiguous", "not_a_security"]
    message: str
    suggestions: list[str]


class ClearHolding(_View):
    """A holding no order restricts that day."""

    input: str
    security: SecurityRef


class ScreenAnswer(_View):
    as_of: str
    holdings: int
    affected: list[ScreenRow]
    clear: list[ClearHolding]
    unresolved: list[Unresolved]


class Citation(_View):
    """How a reporter cites one edge: the legal instrument first, then every source; ``note``: what
    a reporter must know to cite its day (only announced ahead: :func:`graph.plain.announced_ahead`)."""

    edge_id: str
    text: str
    sources: list[str]
    note: str | None = Field(default=None, exclude_if=_empty)


class Change(_Dated):
    """Something that began or ended on a day; its sources ranked as a timeline row's are
    (:class:`TimelineEvent`): most authoritative first, those that state the day (``stated_by``)
    first within a kind; :attr:`dated_by` names the one that gives the day when the first does not."""

    date: str
    what: Literal["began", "ended", "event"]
    kind: str
    # The kind of fact its sources rank for when not ``kind``'s own (a rule's row: ``GOVERNS``,
    # ``LISTED_ON`` or ``ENJOINS``, as :class:`TimelineEvent`'s ``fact``); the answer carries ``kind``.
    fact: str | None = Field(default=None, exclude=True)
    description: str
    edge_id: str | None
    entities: list[NodeRef]
    # A listing's secondary sources that do not name the company (:class:`TimelineEvent`).
    not_named_by: list[str] = Field(default_factory=list, exclude=True)
    # Which of ``sources`` state the date: first within their kind; not part of the answer (the order is).
    stated_by: Sources = Field(default_factory=list, exclude=True)
    # An "ended" row's sources are those that state the end (:func:`graph.evidence.end_sources`);
    # when none does, ``sources_note`` says so rather than citing what started it.
    sources: Sources = Field(default_factory=list)  # the edge's (or the order's), most authoritative first
    sources_note: str | None = None
    # When no source states the day: those that only announced it ahead (graph.evidence.announced_by).
    announced_by: Sources = Field(default_factory=list, exclude_if=_empty)
    # An exchange's action's row: the action's code, which names its kind (:class:`TimelineEvent`).
    action: str | None = Field(default=None, exclude_if=_empty)
    # The least sure confidence of the edges it rests on, said in its words (:class:`TimelineEvent`).
    confidence: Confidence | None = Field(default=None, exclude_if=_empty)

    _ranked = field_validator("stated_by")(ranked_for_kind)
    _stated_first = field_validator("sources")(ranked_for_row)


class ChangeDay(_View):
    date: str
    changes: list[Change]


class Changes(_View):
    start: str
    end: str
    days: list[ChangeDay]


class ListedSecurity(_View):
    """A security a company issues, directly or through a subsidiary (``via``)."""

    security: SecurityRef
    issuer: NodeRef
    via: NodeRef | None
    start: str | None
    end: str | None
