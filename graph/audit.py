"""The report a maintainer reads before publishing an edition of the data.

``audit(store)`` counts the sources by kind and by host and lists the edges a
fact-checker would look at first: those only the press or lesser sources back,
legal facts without a primary source, undated edges, and edges not
``verified``; and the companies on a list or issuing a listed security whose
Chinese name is missing or only the press or lesser sources quote, or whose full
Chinese name (as against a short one) no primary source quotes. The rules
themselves are held by the dataset tests; the audit shows everything else.

>>> from graph.model import Edge, Node, Source
>>> from graph.store.memory import MemoryStore
>>> blog = Source(url="https://blog.example.org/p", title="t", publisher="p", kind="other")
>>> store = MemoryStore.from_parts(
...     [Node(id="ORG:a", kind="Company", name="A"), Node(id="LIST:l", kind="SanctionsList", name="L")],
...     [Edge(id="e", kind="LISTED_ON", source="ORG:a", target="LIST:l", confidence="likely",
...           sources=[blog])],
... )
>>> report = audit(store)
>>> report.source_kinds, [e.id for e in report.legal_without_primary], report.hosts[0].host
({'other': 1}, ['e'], 'blog.example.org')
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection

from pydantic import BaseModel, ConfigDict, Field

from graph.model import PRIMARY_SOURCE_KINDS, SOURCE_KINDS, Edge, Node, Source, source_site
from graph.store.base import GraphStore
from graph.views import EdgeRef

# Edge kinds that state what the law did; every EXCHANGE_ACTION (announcing a delisting,
# reversing one, suspending, delisting, reinstating) is the exchange's own legal step.
LEGAL_FACT_KINDS = frozenset(
    {"LISTED_ON", "GOVERNS", "TARGETS", "ENJOINS", "REVOKES", "AMENDS", "SUPERSEDES", "EXCHANGE_ACTION"}
)
# Kinds that alone are not enough for a reporter to print a claim.
SECONDARY_ONLY_KINDS = frozenset({"press", "other"})


def is_legal_fact(edge: Edge) -> bool:
    """Whether ``edge`` states a legal fact: a listing, a rule, a targeting, an injunction,
    a revocation, an amendment, a supersession, or an exchange's step (announcing a delisting,
    reversing it, suspending, delisting, reinstating)."""
    return edge.kind in LEGAL_FACT_KINDS


def has_primary_source(edge: Edge) -> bool:
    """Whether an official, court, filing or exchange document backs ``edge``."""
    return any(source.kind in PRIMARY_SOURCE_KINDS for source in edge.sources)


_CJK = re.compile("[\u3400-\u9fff\uf900-\ufaff]")


def chinese_names(node: Node) -> list[str]:
    """The node's aliases written in Chinese characters."""
    return [alias for alias in node.aliases if _CJK.search(alias)]


def spelled_on_its_own(name: str, text: str, longer: Collection[str]) -> bool:
    """Whether ``text`` spells ``name`` other than inside one of ``longer`` (the node's names that
    contain it): a short name spelled only inside the full name is not thereby quoted.

    >>> full = "中芯南方集成电路制造有限公司"
    >>> spelled_on_its_own("中芯南方", full, [full])
    False
    >>> spelled_on_its_own("中芯南方", f"{full}(简称中芯南方)", [full])
    True
    """
    for other in sorted(longer, key=len, reverse=True):
        text = text.replace(other, "\0")
    return name in text


def quoting(node: Node, name: str) -> list[Source]:
    """The node's sources that spell ``name`` on its own (:func:`spelled_on_its_own`: not only
    inside a longer Chinese name of the node): in their quote, or (a simplified form of a quoted
    traditional name, a short name given as the quoted full name's) in their locator."""
    longer = [n for n in chinese_names(node) if n != name and name in n]
    return [
        s
        for s in node.sources
        if any(spelled_on_its_own(name, text, longer) for text in (s.quote or "", s.locator or ""))
    ]


# A Chinese name ending in one of these is a full (registered) name: a legal form (公司, 集团) or
# an institution's word (研究所, 研究院, 中心, 厂, 大学, 局); anything else is a short name (a
# 证券简称, a brand), which a filing may spell while only a copy or the press spells the full name.
# A name a source defines as short is short whatever it ends in (中国移动集团, 中国商飞公司).
_FULL_ENDINGS = ("公司", "集团", "集團", "研究所", "研究院", "中心", "厂", "廠", "大学", "大學", "局")
_QUOTED = '“"「『'
_UNQUOTED = '”"」』'


def defined_as_short(name: str, sources: Collection[Source]) -> bool:
    """Whether a source defines ``name`` as a short name: its quote gives it after 简称
    (``以下简称“中国移动集团”``, ``证券简称:大华股份``, ``简称“中交三航局”、“该公司”``: one of the
    quoted names), or its locator calls it the short name or form (``中咨公司 is its short name there``).

    >>> quote = Source(url="https://example.org/a", title="a", publisher="p", kind="other",
    ...     quote="中国移动通信集团有限公司(以下简称“中国移动集团”)")
    >>> defined_as_short("中国移动集团", [quote]), defined_as_short("中国移动通信集团有限公司", [quote])
    (True, False)
    """
    name_re = re.escape(name)
    quoted = (
        rf"简称[::\s]*(?:[{_QUOTED}][^{_UNQUOTED}]*[{_UNQUOTED}][、,,或和及\s]*)*"
        rf"[{_QUOTED}]?{name_re}(?![\u3400-\u9fff])"
    )
    located = rf"{name_re} is (?:the|its) short (?:name|form)|short (?:name|form) {name_re}"
    return any(re.search(quoted, s.quote or "") or re.search(located, s.locator or "") for s in sources)


def is_full_chinese_name(name: str, sources: Collection[Source] = ()) -> bool:
    """Whether a Chinese name is a full name: it ends in a legal form or an institution's word, and
    none of ``sources`` (its entity's) defines it as a short name (:func:`defined_as_short`).

    >>> is_full_chinese_name("浙江大华技术股份有限公司"), is_full_chinese_name("大华股份")
    (True, False)
    """
    return name.rstrip().endswith(_FULL_ENDINGS) and not defined_as_short(name, sources)


class NameBacking(BaseModel):
    """One Chinese name of a company and the kinds of the sources that quote it."""

    model_config = ConfigDict(extra="forbid")

    name: str
    full: bool  # a full (registered) name, else a short one: :func:`is_full_chinese_name`
    kinds: list[str]  # the kinds of the sources quoting it, most authoritative first


class NameGap(BaseModel):
    """A company on a list or issuing a listed security, and what is missing of its Chinese name."""

    model_config = ConfigDict(extra="forbid")

    id: str
    name: str
    aliases: list[str]  # its Chinese names (none when missing)
    kinds: list[str]  # the kinds of the sources quoting them, most authoritative first
    note: str | None = None  # its `no_chinese_name` note: what was searched, or why no name is given
    names: list[NameBacking] = []  # each of its Chinese names with the kinds quoting it


class NameCount(BaseModel):
    """How many Chinese names of one form a primary source quotes, and how many only lesser ones."""

    model_config = ConfigDict(extra="forbid")

    primary: int = 0
    secondary_only: int = 0


class ChineseNameCounts(BaseModel):
    """The Chinese names counted per name, full and short apart (:func:`is_full_chinese_name`);
    ``--json`` prints ``{"full": {"primary": …, "secondary_only": …}, "short": {…}}``."""

    model_config = ConfigDict(extra="forbid")

    full: NameCount = Field(default_factory=NameCount)
    short: NameCount = Field(default_factory=NameCount)

    def forms(self) -> list[tuple[str, NameCount]]:
        """``("full", …)`` then ``("short", …)``, as the text report prints them."""
        return [("full", self.full), ("short", self.short)]


class HostCount(BaseModel):
    model_config = ConfigDict(extra="forbid")

    host: str
    kinds: list[str]
    edges: int
    only_source: int


class AuditReport(BaseModel):
    """What ``ordergraph audit`` prints: counts first, then the edges to check."""

    model_config = ConfigDict(extra="forbid")

    edges: int
    source_kinds: dict[str, int]
    hosts: list[HostCount]
    secondary_only: list[EdgeRef]
    legal_without_primary: list[EdgeRef]
    undated: list[EdgeRef]
    not_verified: list[EdgeRef]
    chinese_names_missing: list[NameGap]
    chinese_names_secondary_only: list[NameGap]
    chinese_name_counts: ChineseNameCounts
    chinese_full_names_without_primary: list[NameGap]


def _listed_and_issuers(store: GraphStore) -> list[Node]:
    ids = {e.source for e in store.edges("LISTED_ON")} | {e.source for e in store.edges("ISSUES")}
    found = store.get_nodes(sorted(ids))  # one batched read, in the order asked, on every store
    return [node for node in found.values() if node.kind == "Company"]


def _ranked(kinds: Collection[str]) -> list[str]:
    return [k for k in SOURCE_KINDS if k in kinds]


def _backing(node: Node, name: str) -> NameBacking:
    kinds = {s.kind for s in quoting(node, name)}
    return NameBacking(name=name, full=is_full_chinese_name(name, node.sources), kinds=_ranked(kinds))


def _primary(backing: NameBacking) -> bool:
    return any(kind in PRIMARY_SOURCE_KINDS for kind in backing.kinds)


def _gap(node: Node, names: list[str]) -> NameGap:
    backings = [_backing(node, name) for name in names]
    note = node.properties.get("no_chinese_name")
    return NameGap(
        id=node.id,
        name=node.name,
        aliases=names,
        kinds=_ranked({k for b in backings for k in b.kinds}),
        note=note if isinstance(note, str) else None,
        names=backings,
    )


def chinese_name_gaps(store: GraphStore) -> tuple[list[NameGap], list[NameGap]]:
    """The companies on a list or issuing a listed security with no Chinese name, and those whose
    Chinese names no official, court, filing or exchange source quotes (only press or other)."""
    missing, secondary, _, _ = _chinese_name_report(store)
    return missing, secondary


def _chinese_name_report(
    store: GraphStore,
) -> tuple[list[NameGap], list[NameGap], ChineseNameCounts, list[NameGap]]:
    """:func:`chinese_name_gaps`, the names counted per name (full and short apart: how many a
    primary source quotes, how many only lesser ones), and the companies with a Chinese name whose
    full name no primary source quotes (or that have only a short one): a filing that spells the
    short name does not back the full name a copy spells."""
    missing: list[NameGap] = []
    secondary: list[NameGap] = []
    full_gaps: list[NameGap] = []
    counts = ChineseNameCounts()
    for node in _listed_and_issuers(store):
        gap = _gap(node, chinese_names(node))
        if not gap.names:
            missing.append(gap)
            continue
        for backing in gap.names:
            form = counts.full if backing.full else counts.short
            if _primary(backing):
                form.primary += 1
            else:
                form.secondary_only += 1
        if not any(_primary(b) for b in gap.names):
            secondary.append(gap)
        if not any(b.full and _primary(b) for b in gap.names):
            full_gaps.append(gap)
    return missing, secondary, counts, full_gaps


def audit(store: GraphStore) -> AuditReport:
    """Source kinds and hosts with counts, and the edges a fact-checker reads first.

    ``source_kinds`` counts each edge's citations by kind (most authoritative
    first); ``hosts`` counts, per host, the edges citing it and the edges that
    cite nothing else, most cited first. ``secondary_only``: edges whose only
    sources are press or other; ``legal_without_primary``: legal facts with no
    official, court, filing or exchange source; ``undated``: edges with no
    start date (an end alone does not say when a fact began); ``not_verified``:
    edges marked likely or unverified. ``chinese_names_missing`` and
    ``chinese_names_secondary_only``: see :func:`chinese_name_gaps`;
    ``chinese_name_counts`` counts the Chinese names per name, full and short apart, and
    ``chinese_full_names_without_primary`` lists the companies whose full Chinese name no
    official, court, filing or exchange source quotes, whatever backs their short name.
    """
    edges = sorted(store.edges(), key=lambda e: e.id)
    kinds: Counter[str] = Counter()
    host_edges: Counter[str] = Counter()
    host_only: Counter[str] = Counter()
    host_kinds: dict[str, set[str]] = {}
    for edge in edges:
        kinds.update(source.kind for source in edge.sources)
        hosts = {source_site(source.url) for source in edge.sources}
        for source in edge.sources:
            host_kinds.setdefault(source_site(source.url), set()).add(source.kind)
        host_edges.update(hosts)
        if len(hosts) == 1:
            host_only.update(hosts)
    missing, secondary, name_counts, full_gaps = _chinese_name_report(store)
    return AuditReport(
        edges=len(edges),
        source_kinds={kind: kinds[kind] for kind in SOURCE_KINDS if kinds[kind]},
        hosts=[
            HostCount(
                host=host,
                kinds=[k for k in SOURCE_KINDS if k in host_kinds[host]],
                edges=count,
                only_source=host_only[host],
            )
            for host, count in sorted(host_edges.items(), key=lambda item: (-item[1], item[0]))
        ],
        secondary_only=[
            EdgeRef.of(e) for e in edges if all(s.kind in SECONDARY_ONLY_KINDS for s in e.sources)
        ],
        legal_without_primary=[
            EdgeRef.of(e) for e in edges if is_legal_fact(e) and not has_primary_source(e)
        ],
        undated=[EdgeRef.of(e) for e in edges if e.start is None],
        not_verified=[EdgeRef.of(e) for e in edges if e.confidence != "verified"],
        chinese_names_missing=missing,
        chinese_names_secondary_only=secondary,
        chinese_name_counts=name_counts,
        chinese_full_names_without_primary=full_gaps,
    )
