"""A news article → a ``Document`` node and ``MENTIONS`` edges, with offsets and matched text.

The linker finds, in plain text (or the text of an HTML page), the entities of a graph
the article names:

- names and aliases, longest match first (``China Mobile Communications Group`` is not
  ``China Mobile``); a one-word alias must be written as the graph writes it (``Xiaomi``,
  ``SMIC``), be at least four letters, and not be a common word or a place;
- a company's name or alias without the legal form that closes it (``Huawei Investment &
  Holding`` for ``Huawei Investment & Holding Co., Ltd.``), when what is left is distinctive
  (:func:`_distinctive`) and written as a name (every word capitalised, in one run); when two
  companies are so named alike, neither is linked there;
- misspellings of names of two words or more (``Luokong Technology``, ``Grand China Aie``),
  when every word is capitalised and the whole is at least ``FUZZY_SCORE`` alike;
- executive orders by number (``EO 13959``, ``Executive Order 13959``) or by signing date
  (``an executive order on 12 November 2020``);
- tickers in exchange form (``NYSE: CHL``, ``1810.HK``).

Each entity gets one edge, at its first mention: ``offset`` (0-based character offset in
the text as read — for HTML, in the text extracted from it), ``text`` (the article's own
spelling), ``offsets`` (every mention) and ``how`` (name, alias, misspelling, number,
date, ticker).

>>> from graph.model import Node
>>> from graph.store.memory import MemoryStore
>>> store = MemoryStore.from_parts([Node(id="ORG:xiaomi", kind="Company", name="Xiaomi Corporation",
...                                      aliases=["Xiaomi"])], [])
>>> [(m.node_id, m.offset, m.text) for m in link("Xiaomi denies ties; the company said.", store)]
[('ORG:xiaomi', 0, 'Xiaomi')]
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from graph.errors import LoadError
from graph.labels import characters
from graph.model import Edge, Node, Provenance, Source, check_url, edge_id
from graph.names import closes_a_name, fold, holding_words, parse_ticker, without_legal_form
from graph.store.base import GraphStore
from loaders.records import MAX_LINE, Record, built

FUZZY_SCORE = 90.0
LINKED_KINDS = ("Company", "ExecutiveOrder", "Exchange", "App", "GovernmentBody", "SanctionsList", "Person")
# Words that are names in the graph but also ordinary words or places: never linked alone.
COMMON = frozenset(
    [
        "china",
        "chinese",
        "beijing",
        "shanghai",
        "shenzhen",
        "hong",
        "kong",
        "united",
        "states",
        "america",
        "commerce",
        "treasury",
        "defense",
        "defence",
        "state",
        "president",
        "company",
        "group",
        "holdings",
        "limited",
        "technology",
        "mobile",
        "telecom",
        "order",
        "exchange",
        "list",
        "market",
        "bank",
        "capital",
        "energy",
        "power",
        "pentagon",
    ]
)
MAX_ARTICLE = 16 * MAX_LINE
# A name is looked up by at most this many words from where it may begin (names run longer:
# their first words find them).
PHRASE_WORDS = 6
# Lower-case words inside names ("Department of Defense", "Bank of China"); not "and", which in
# news more often joins two names ("Huawei and ZTE") than stands in one.
CONNECTORS = frozenset({"of", "the", "for", "de", "du", "la", "del", "von", "van"})
# Between two words of one name: spaces, a hyphen, an ampersand; anything else ends it.
_BREAK = re.compile(r"[^\s\-&]")
_TOKEN_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)
_EO_RE = re.compile(r"\b(?:Executive\s+Order|E\.\s?O\.|EO)\s*(?:No\.\s*)?(\d{5})\b", re.IGNORECASE)
_EO_DATE_RE = re.compile(
    r"\bexecutive\s+order\s+(?:signed\s+)?(?:on|of|dated)\s+"
    r"(?P<date>\d{1,2}\s+[A-Z][a-z]+\s+\d{4}|[A-Z][a-z]+\s+\d{1,2},\s+\d{4})",
    re.IGNORECASE,
)
_TICKER_RE = re.compile(
    r"\b(?:NYSE|NASDAQ|Nasdaq|HKEX|SSE|SZSE)\s?:\s?[A-Z0-9]{1,6}\b|\b\d{4,6}\.(?:HK|SS|SH|SZ)\b"
)


@dataclass(frozen=True)
class Mention:
    """One entity the text names: where first, as what, and everywhere."""

    node_id: str
    offset: int
    text: str
    how: str
    offsets: tuple[int, ...]


@dataclass(frozen=True)
class _Alias:
    words: tuple[str, ...]
    node_id: str
    original: str
    how: str
    # The name without its closing legal form (without_legal_form), not a name the graph holds.
    short: bool = False


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title: list[str] = []
        self.canonical: str | None = None
        self._skip = 0
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in ("script", "style", "noscript"):
            self._skip += 1
        elif tag == "title":
            self._in_title = True
        elif tag == "link" and values.get("rel") == "canonical" and values.get("href"):
            self.canonical = values["href"]
        elif tag == "meta" and values.get("property") == "og:url" and values.get("content"):
            self.canonical = self.canonical or values["content"]
        elif tag in ("p", "br", "div", "h1", "h2", "h3", "li", "tr"):
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "noscript"):
            self._skip = max(0, self._skip - 1)
        elif tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title.append(data)
        elif not self._skip:
            self.parts.append(data)


def html_text(html: str) -> tuple[str, str | None, str | None]:
    """The visible text of an HTML page, its title and its canonical URL."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    text = re.sub(r"[ \t]+\n", "\n", "".join(parser.parts))
    title = " ".join("".join(parser.title).split()) or None
    return re.sub(r"\n{3,}", "\n\n", text).strip(), title, parser.canonical


def _aliases(nodes: Iterable[Node]) -> list[_Alias]:
    out: list[_Alias] = []
    for node in nodes:
        for i, name in enumerate((node.name, *node.aliases)):
            how = "name" if i == 0 else "alias"
            spellings = [fold(name)]
            if "&" in name:  # fold reads "&" as "and"; in the text it is no word (_tokens)
                spellings.append(fold(name.replace("&", " ")))
            for folded in spellings:
                words = tuple(folded.split())
                if words:
                    out.append(_Alias(words, node.id, name, how))
                short = tuple(without_legal_form(folded).split()) if node.kind == "Company" else words
                if short != words and _distinctive(short):
                    out.append(_Alias(short, node.id, name, how, short=True))
    return out


def _distinctive(words: tuple[str, ...]) -> bool:
    """Whether a name cut of its legal form still names one company in running text: two words or
    more besides connectors, not all of them common ones unless three or more ("China Telecom
    Group"); never "Xiaomi" (from "Xiaomi Corporation": a one-word alias is linked only as the
    graph writes it) nor "China Mobile" (from "China Mobile Limited"; the graph holds that alias).

    >>> _distinctive(("huawei", "investment", "and", "holding")), _distinctive(("china", "mobile"))
    (True, False)
    """
    kept = [w for w in words if w not in CONNECTORS and w != "and"]
    return len(kept) >= 3 or (len(kept) == 2 and any(w not in COMMON for w in kept))


def _phrases(text: str, tokens: list[tuple[str, int, int, str]]) -> list[str]:
    """What to look names up by: from a capitalised word, it and the words that may continue a
    name (capitalised, or ``of``, ``the``…) up to ``PHRASE_WORDS``, never across punctuation
    (``Xiaomi, Huawei``); then from the next capitalised word after that phrase. A name beginning
    inside a phrase is found by it (the index ranks nodes sharing more of its rarer words first).
    A lone word only when it could be linked alone. Each word is looked up about once.

    >>> text = "The US Department of Defense named Xiaomi, Huawei and China Mobile."
    >>> _phrases(text, _tokens(text))
    ['The US Department of Defense', 'Xiaomi', 'Huawei', 'China Mobile']
    """
    phrases: dict[str, None] = {}
    covered = -1  # the last token of the phrase before: a name beginning inside it is found by it
    for i, (_word, start, _end, original) in enumerate(tokens):
        if not original[:1].isupper() or i <= covered:
            continue
        last = i
        while last + 1 < len(tokens) and last + 1 - i < PHRASE_WORDS:
            following = tokens[last + 1]
            gap = text[tokens[last][2] : following[1]]
            if _BREAK.search(gap) or not (following[3][:1].isupper() or following[0] in CONNECTORS):
                break
            last += 1
        while last > i and tokens[last][0] in CONNECTORS:
            last -= 1
        if last == i and not _usable_alone(_Alias((original.casefold(),), "", original, "name")):
            continue  # "The", "US", "China": no name of one such word is linked alone
        covered = last
        phrases.setdefault(text[start : tokens[last][2]])
    return list(phrases)


def _candidates(text: str, tokens: list[tuple[str, int, int, str]], store: GraphStore) -> dict[str, Node]:
    """The nodes the text may name, from the store's name index: one lookup a phrase, never a scan."""
    found: dict[str, Node] = {}
    for phrase in _phrases(text, tokens):
        for node in store.name_candidates(phrase, kinds=LINKED_KINDS):
            found.setdefault(node.id, node)
    return found


def _usable_alone(alias: _Alias) -> bool:
    """A one-word alias may be linked alone: a distinctive name, not a short code or common word."""
    word = alias.original
    if len(word) < 4 or not word[0].isupper() or word.casefold() in COMMON:
        return False
    return not any(c.isdigit() for c in word)


def _tokens(text: str) -> list[tuple[str, int, int, str]]:
    """``(folded word, start, end, original)`` for each word of the text."""
    out = []
    for m in _TOKEN_RE.finditer(text):
        for piece in fold(m.group()).split():
            out.append((piece, m.start(), m.end(), m.group()))
    return out


def _date(text: str) -> str | None:
    for fmt in ("%d %B %Y", "%B %d, %Y"):
        try:
            return datetime.strptime(" ".join(text.split()), fmt).date().isoformat()
        except ValueError:
            continue
    return None


def link(text: str, store: GraphStore) -> list[Mention]:
    """The entities of ``store`` that ``text`` names, in order of first mention.

    Names are looked up in the store's name index, a phrase at a time (:func:`_phrases`), and
    orders and tickers by id in one batch each: the store calls grow with the article, never
    with the graph. Orders named only by their signing date are found among the orders (a scan
    of that kind, a few thousand nodes at most), and only when the text gives such a date.
    """
    tokens = _tokens(text)
    aliases = _aliases(_candidates(text, tokens, store).values())
    by_first: dict[str, list[_Alias]] = {}
    by_length: dict[int, list[_Alias]] = {}
    for alias in aliases:
        by_first.setdefault(alias.words[0], []).append(alias)
        if len(alias.words) >= 2 and not alias.short:
            by_length.setdefault(len(alias.words), []).append(alias)
    found: list[tuple[int, int, str, str]] = []  # (start, end, node id, how); "" for no one (_AMBIGUOUS)
    for i, (word, _start, _end, original) in enumerate(tokens):
        matched: list[_Alias] = []
        for alias in by_first.get(word, ()):
            n = len(alias.words)
            if tuple(t[0] for t in tokens[i : i + n]) != alias.words:
                continue
            if n == 1 and (not _usable_alone(alias) or original != alias.original):
                continue
            if n > 1 and not original[:1].isupper():
                continue
            if alias.short and (
                not _written_as_name(text, tokens[i : i + n]) or _name_goes_on(text, tokens, i, n)
            ):
                continue
            matched.append(alias)
        if not matched:
            continue
        # The longest wins; at one length a name the graph holds before one cut of its legal form.
        n = max(len(a.words) for a in matched)
        longest = sorted((a for a in matched if len(a.words) == n), key=lambda a: a.short)
        alias = longest[0]
        if _holding_follows(text, tokens, i + n, alias):
            continue
        named = alias.node_id
        if alias.short and len({a.node_id for a in longest}) > 1:
            named = _AMBIGUOUS
        found.append((tokens[i][1], tokens[i + n - 1][2], named, alias.how))
    found.extend(_misspellings(tokens, by_length))
    # Orders by number and tickers: (start, end, id, how), their ids looked up at once.
    by_id: list[tuple[int, int, str, str]] = []
    for m in _EO_RE.finditer(text):
        by_id.append((m.start(), m.end(), f"EO:{m.group(1)}", "number"))
    for m in _TICKER_RE.finditer(text):
        ticker = parse_ticker(m.group().replace(" ", ""))
        if ticker and ticker[0]:
            by_id.append((m.start(), m.end(), f"SEC:{ticker[0]}:{ticker[1]}", "ticker"))
    known = store.get_nodes(dict.fromkeys(i for _, _, i, _ in by_id)) if by_id else {}
    found += [item for item in by_id if item[2] in known]
    dated = [(m, _date(m.group("date"))) for m in _EO_DATE_RE.finditer(text)]
    if dated:
        signed: dict[str, list[str]] = {}
        for order in store.nodes("ExecutiveOrder"):
            day = order.properties.get("signed")
            if isinstance(day, str):
                signed.setdefault(day, []).append(order.id)
        for m, day in dated:
            orders = signed.get(day or "", [])
            if len(orders) == 1:
                found.append((m.start(), m.end(), orders[0], "date"))
    return _mentions([f for f in _without_overlaps(found) if f[2] != _AMBIGUOUS], text)


# Where several companies' names, cut of their legal forms, read alike: no one is linked there,
# and the span still keeps a shorter name inside it from being linked.
_AMBIGUOUS = ""


def _written_as_name(text: str, span: list[tuple[str, int, int, str]]) -> bool:
    """Whether the words are written as a name: each capitalised (or a number, or a connector),
    with nothing but spaces, hyphens and ampersands between them."""
    for k, (word, _start, end, original) in enumerate(span):
        if not (original[:1].isupper() or original[:1].isdigit() or word in CONNECTORS or word == "and"):
            return False
        if k + 1 < len(span) and _BREAK.search(text[end : span[k + 1][1]]):
            return False
    return True


def _name_goes_on(text: str, tokens: list[tuple[str, int, int, str]], i: int, n: int) -> bool:
    """Whether the name at tokens ``i`` … ``i + n - 1`` runs on into a longer name ("China National
    Nuclear Safety Administration" is not CNNC cut of its legal form): the next word is capitalised,
    joined as a name, and not the legal form that closes it ("Proven Glory Capital Ltd")."""
    if i + n >= len(tokens):
        return False
    word, _start, _end, original = tokens[i + n]
    return (
        original[:1].isupper() and _written_as_name(text, tokens[i : i + n + 1]) and not closes_a_name(word)
    )


def _holding_follows(text: str, tokens: list[tuple[str, int, int, str]], after: int, alias: _Alias) -> bool:
    """Whether the name matched just before token ``after`` goes on with a holding word it lacks
    ("SMIC Holdings Limited" after the alias "SMIC"): the text names another entity, the company's
    holding company, which the graph would have matched whole had it held it."""
    if after >= len(tokens) or _BREAK.search(text[tokens[after - 1][2] : tokens[after][1]]):
        return False
    return bool(holding_words(tokens[after][0]) - holding_words(" ".join(alias.words)))


def _misspellings(
    tokens: list[tuple[str, int, int, str]], by_length: dict[int, list[_Alias]]
) -> Iterator[tuple[int, int, str, str]]:
    for n, aliases in by_length.items():
        phrases = {" ".join(a.words): a for a in aliases}
        for i in range(len(tokens) - n + 1):
            span = tokens[i : i + n]
            if not all(t[3][:1].isupper() for t in span):
                continue
            phrase = " ".join(t[0] for t in span)
            if len(phrase) < 10 or phrase in phrases:
                continue
            best = max(phrases, key=lambda p: fuzz.ratio(phrase, p))
            score = fuzz.ratio(phrase, best)
            # Numbers are never typos; every other word is the same or one slip away (two if long).
            words_close = all(
                a == b or (len(a) >= 3 and not a.isdigit() and Levenshtein.distance(a, b) <= 1 + len(a) // 8)
                for a, b in zip(phrase.split(), best.split(), strict=True)
            )
            if score >= FUZZY_SCORE and words_close:
                yield span[0][1], span[-1][2], phrases[best].node_id, "misspelling"


def _without_overlaps(found: list[tuple[int, int, str, str]]) -> list[tuple[int, int, str, str]]:
    """Longest spans first; a span overlapping one kept is dropped."""
    kept: list[tuple[int, int, str, str]] = []
    for item in sorted(found, key=lambda f: (-(f[1] - f[0]), f[0])):
        if all(item[1] <= k[0] or item[0] >= k[1] for k in kept):
            kept.append(item)
    return sorted(kept)


def _mentions(found: list[tuple[int, int, str, str]], text: str) -> list[Mention]:
    firsts: dict[str, tuple[int, int, str]] = {}
    offsets: dict[str, list[int]] = {}
    for start, end, node_id, how in found:
        firsts.setdefault(node_id, (start, end, how))
        offsets.setdefault(node_id, []).append(start)
    return [
        Mention(node_id, start, text[start:end], how, tuple(offsets[node_id]))
        for node_id, (start, end, how) in sorted(firsts.items(), key=lambda kv: kv[1][0])
    ]


def _slug(text: str) -> str:
    # An id, not a match: a title's characters are kept as written (an article loaded again keeps its id).
    return "-".join(fold(text, simplify=False).split()[:8]) or "article"


def parse_article(
    text: str,
    store: GraphStore,
    dataset: str,
    url: str | None = None,
    title: str | None = None,
    published: str | None = None,
    publisher: str | None = None,
    file: str = "<input>",
) -> Iterator[Record]:
    """A Document node for the article and a MENTIONS edge for each entity of ``store`` it names."""
    if "<html" in text[:2000].lower() or "<body" in text[:5000].lower():
        text, html_title, canonical = html_text(text)
        title = title or html_title
        url = url or canonical
    if not url:
        raise LoadError(file, None, "url", "an article needs the address it was published at (--url)")
    try:
        check_url(url)
    except ValueError as exc:
        raise LoadError(file, None, "url", str(exc)) from None
    title = title or next((line.strip() for line in text.splitlines() if line.strip()), "")
    if not title:
        raise LoadError(file, 1, "title", "the article is empty")
    source_data = {"url": url, "title": title, "publisher": publisher or _host(url), "kind": "press"}
    if published:
        source_data["date"] = published
    try:
        source = Source.model_validate(source_data)
    except ValueError as exc:
        raise LoadError(file, None, "date", str(exc).splitlines()[-1]) from None
    provenance = [Provenance(dataset=dataset, first_seen=published)]
    doc_id = f"DOC:{_slug(title)}"
    properties: dict[str, Any] = {"url": url, "publisher": source.publisher}
    if published:
        properties["date"] = published
    doc = Node(
        id=doc_id,
        kind="Document",
        name=title,
        properties=properties,
        identifiers={"url": [url]},
        sources=[source],
        provenance=provenance,
    )
    yield Record(url, doc, 1)
    for mention in link(text, store):
        line = text.count("\n", 0, mention.offset) + 1
        data = {
            "id": f"{edge_id('MENTIONS', doc_id, mention.node_id, published)}|{mention.offset}",
            "kind": "MENTIONS",
            "source": doc_id,
            "target": mention.node_id,
            "start": published,
            "confidence": "likely" if mention.how == "misspelling" else "verified",
            "properties": {
                "text": mention.text,
                "offset": mention.offset,
                "offsets": list(mention.offsets),
                "how": mention.how,
            },
            "sources": [source.model_copy(update={"locator": characters(mention.offset, len(mention.text))})],
            "provenance": provenance,
        }
        yield Record(url, built(Edge, data, file, line, "mention"), line)


def _host(url: str) -> str:
    return url.split("/")[2].removeprefix("www.")


def read_article(path: str | Path, store: GraphStore, dataset: str, **options: Any) -> Iterator[Record]:
    """Records from an article file (UTF-8 plain text or HTML)."""
    file = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise LoadError(file, None, None, f"cannot read: {exc.strerror or exc}") from None
    if len(raw) > MAX_ARTICLE:
        raise LoadError(file, None, None, f"larger than {MAX_ARTICLE} bytes: not an article")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise LoadError(file, line, None, "not UTF-8 text") from None
    return parse_article(text, store, dataset, file=file, **options)
