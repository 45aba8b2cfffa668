"""Normalising names and tickers, and fuzzy matching them.

One place decides what a ticker is: ``1810.HK``, ``HKEX:1810``, ``1810 HK``
and ``01810`` all mean the HKEX listing with code ``1810``; Shanghai codes
are written ``.SS`` or ``.SH``.

>>> parse_ticker("1810.HK"), parse_ticker("01810"), parse_ticker("NYSE:CHL")
(('HKEX', '1810'), (None, '1810'), ('NYSE', 'CHL'))
>>> parse_ticker("688012.SS") == parse_ticker("688012.SH") == ("SSE", "688012")
True
>>> normalise_name("China Telecom Corporation Limited")
'china telecom'

Names are matched in simplified Chinese characters, whichever the source or the reader wrote
(:mod:`graph.hanzi`):

>>> normalise_name("小米集團") == normalise_name("小米集团") == "小米集团"
True
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from graph import hanzi
from graph.hanzi import simplified

if TYPE_CHECKING:
    from graph.model import Node

# Suffixes that say what is listed on an exchange: Yahoo, Reuters, Bloomberg, Google styles.
_SUFFIX_EXCHANGE = {
    "HK": "HKEX",
    "HKG": "HKEX",
    "SS": "SSE",
    "SH": "SSE",
    "SHA": "SSE",
    "SZ": "SZSE",
    "SHE": "SZSE",
    "US": "US",
    "N": "NYSE",
    "O": "NASDAQ",
    "OQ": "NASDAQ",
}
# Prefixes in `EXCH:CODE` forms.
_PREFIX_EXCHANGE = {
    "HKEX": "HKEX",
    "HKG": "HKEX",
    "SEHK": "HKEX",
    "SSE": "SSE",
    "SHA": "SSE",
    "SHSE": "SSE",
    "SZSE": "SZSE",
    "SHE": "SZSE",
    "NYSE": "NYSE",
    "NASDAQ": "NASDAQ",
    "NASDAQGS": "NASDAQ",
}
_LEGAL_WORDS = frozenset(
    {"co", "company", "corp", "corporation", "inc", "incorporated", "ltd", "limited", "plc"}
    | {"llc", "sa", "ag", "gmbh", "pte", "the", "holding", "holdings", "hldg", "hldgs"}
)
# Words as Reuters, the exchanges and OFAC shorten them ("Semiconductor Manufacturing Intl"), each
# read as the word it stands for, in the names indexed and in the query alike. Only those that
# shorten one word and are no word of their own: "tech", "telecom", "intl" would find
# "technology", "telecommunications", by their beginning, but not "international"; the legal
# forms (Corp, Co, Ltd) and holding words (Hldgs) are set aside above.
_ABBREVIATIONS = {"intl": "international", "natl": "national", "mfg": "manufacturing", "grp": "group"}
# "Int'l", "Nat'l": read with their apostrophe only (folded, "nat l" may be a person's initial).
_APOSTROPHE_FORM = re.compile(r"\b(int|nat)['’]l\b", re.IGNORECASE)
# Words whose presence or absence makes another entity of a name, though legal forms aside the
# names read alike: "SMIC Holdings Limited" is SMIC's holding company, not SMIC (Chinese writes the
# word inside the name: 中芯国际控股 is 中芯国际's; named_apart reads both).
# Each as one word (holding_words): "Holdings" is "Holding" plural, not another word (控股 is
# written alike in both scripts).
_HOLDING_AS = {"holding": "holding", "holdings": "holding", "hldg": "holding", "hldgs": "holding"}
HOLDING_WORDS = frozenset(_HOLDING_AS)


def holding_words(folded: str) -> frozenset[str]:
    """The holding words a folded name carries, each in one form: the plural reads as the singular,
    and Chinese 控股, written inside a word, as itself.

    >>> sorted(holding_words("x holdings ltd")), sorted(holding_words("华为投资控股有限公司"))
    (['holding'], ['控股'])
    """
    found = {_HOLDING_AS[word] for word in folded.split() if word in _HOLDING_AS}
    if "控股" in folded:
        found.add("控股")
    return frozenset(found)


# The legal forms that may close a company's name and say only what kind of company it is
# ("Co., Ltd.", "Limited", "Inc."); not the holding words (another entity) nor "the".
_CLOSING_FORMS = _LEGAL_WORDS - HOLDING_WORDS - {"the"}


def closes_a_name(word: str) -> bool:
    """Whether a folded word is a legal form that may close a company's name ("ltd", "inc")."""
    return word in _CLOSING_FORMS


def without_legal_form(folded: str) -> str:
    """A folded name without the legal-form words that close it, as often as one does ("co ltd");
    the name as it is if it has none, "" if it is nothing else. Words that tell another entity
    ("holding", "group") stay.

    >>> without_legal_form("huawei investment and holding co ltd"), without_legal_form("smic holdings")
    ('huawei investment and holding', 'smic holdings')
    """
    words = folded.split()
    while words and words[-1] in _CLOSING_FORMS:
        words.pop()
    return " ".join(words)


# The legal forms as their abbreviations read them ("Corp." is "Corporation"): two names of a company
# that differ only so, or by a form one of them leaves out, name it alike (:func:`same_company_name`).
_FORM_AS = {"co": "company", "corp": "corporation", "inc": "incorporated", "ltd": "limited"}


def same_company_name(a: str, b: str) -> bool:
    """Whether two names of one company differ only in case, punctuation, abbreviated words and the
    legal forms one of them leaves out ("China Telecommunications Corp." and "… Corporation",
    "CRRC Corp." and "CRRC Corporation Limited"); not where the forms differ ("SenseTime Group,
    Inc." and "… Limited": another company's), nor in a holding word (SMIC Holdings is not SMIC).

    >>> same_company_name("China Telecommunications Corp.", "China Telecommunications Corporation")
    True
    >>> same_company_name("SenseTime Group, Inc.", "SenseTime Group Limited")
    False
    >>> same_company_name("SMIC", "SMIC Holdings Limited"), same_company_name("Huawei", "Huawei Technologies")
    (False, False)
    """
    if normalise_name(a) != normalise_name(b):
        return False
    folded_a, folded_b = fold(a), fold(b)
    if holding_words(folded_a) != holding_words(folded_b):
        return False
    forms_a, forms_b = _legal_forms(folded_a), _legal_forms(folded_b)
    return forms_a <= forms_b or forms_b <= forms_a


def _legal_forms(folded: str) -> frozenset[str]:
    """The legal-form words of a folded name, each as its whole word ("corp" as "corporation")."""
    return frozenset(_FORM_AS.get(word, word) for word in folded.split() if closes_a_name(word))


_TICKER_RE = re.compile(
    r"^(?:(?P<pre>[A-Z]+)\s*:\s*)?(?P<code>[A-Z0-9]{1,10})(?:[.\s](?P<suf>[A-Z]{1,4}))?\Z"
)


def normalise_code(exchange: str | None, code: str) -> str:
    """Canonical code on an exchange: HKEX codes are 4 digits (``700`` → ``0700``)."""
    code = code.upper()
    if code.isdigit() and (exchange == "HKEX" or (exchange is None and len(code) <= 5)):
        return code.lstrip("0").rjust(4, "0")
    return code


def _exchange_for_cn(code: str) -> str | None:
    """Mainland A-share codes: 6xxxxx trade in Shanghai, 0/2/3xxxxx in Shenzhen."""
    if len(code) != 6 or not code.isdigit():
        return None
    return "SSE" if code[0] in "69" else "SZSE" if code[0] in "023" else None


def parse_ticker(text: str) -> tuple[str | None, str] | None:
    """Read a ticker in any common spelling as ``(exchange or None, code)``.

    Returns None when the text cannot be a ticker (e.g. it has spaces inside a name).
    """
    raw = text.strip().upper()
    m = _TICKER_RE.match(raw)
    if not m:
        return None
    pre, code, suf = m.group("pre"), m.group("code"), m.group("suf")
    exchange: str | None = None
    if pre:
        exchange = _PREFIX_EXCHANGE.get(pre)
        if exchange is None:
            return None
    if suf:
        if suf == "CN":
            exchange = _exchange_for_cn(code)
        else:
            by_suffix = _SUFFIX_EXCHANGE.get(suf)
            if by_suffix is None:
                return None
            exchange = None if by_suffix == "US" else by_suffix
            if by_suffix == "US" and not code.isalpha():
                return None
    if exchange is None and code.isdigit() and len(code) == 6:
        exchange = _exchange_for_cn(code)
    return exchange, normalise_code(exchange, code)


_PUNCTUATION = re.compile(r"[^\w\s]")


def fold(text: str, simplify: bool = True) -> str:
    """Lower case, accents and typographic quotes folded, punctuation to spaces; traditional Chinese
    characters folded to simplified ones (:mod:`graph.hanzi`) unless ``simplify`` is False.

    >>> fold("Société Générale"), fold("中國移動（香港）"), fold("中國移動", simplify=False)
    ('societe generale', '中国移动 香港', '中國移動')
    """
    if not text.isascii():  # ASCII has no accents or characters to fold: most names skip this
        text = unicodedata.normalize("NFKD", text).translate(_combining())
        if simplify:
            text = simplified(text)
    text = text.replace("’", "'").replace("&", " and ").lower()
    text = _PUNCTUATION.sub(" ", text)
    return " ".join(text.split())


def adds_holding(typed: str, key: str) -> bool:
    """Whether the text carries a holding word the name lacks: it names the holding company of the
    one so named, not that one (:func:`named_apart`, one way only).

    >>> adds_holding("中芯国际控股有限公司", "中芯国际"), adds_holding("SMIC Holdings", "SMIC")
    (True, True)
    >>> adds_holding("中芯国际", "中芯国际控股有限公司"), adds_holding("华为投资控股", "华为投资控股有限公司")
    (False, False)
    >>> adds_holding("X Holdings Ltd", "X Holding Co., Ltd."), adds_holding("X Holding", "X Holdings")
    (False, False)
    """
    return bool(holding_words(fold(typed)) - holding_words(fold(key)))


def named_apart(key: str, typed: str | None) -> bool:
    """Whether a name is the text only once a holding word (one of them has, the other not) is set
    aside: it then scores one less (a name 99, as an alias does, listed after an alias that is the
    text as typed). Legal-form words (Limited, Corp.) name the same entity's form.

    >>> named_apart("SMIC Holdings Limited", "SMIC"), named_apart("Xiaomi Corporation", "xiaomi")
    (True, False)
    >>> named_apart("SMIC Holdings Limited", "smic holdings"), named_apart("SMIC", None)
    (False, False)
    >>> named_apart("华为投资控股有限公司", "华为投资"), named_apart("华为技术有限公司", "华为技术")
    (True, False)
    """
    if typed is None:
        return False
    # Chinese writes "holding" inside the name's one word: 华为投资控股 is 华为投资's holding company.
    return holding_words(fold(key)) != holding_words(fold(typed))


# Every character with a combining class (accents, marks) is below this code point, in the Unicode
# data of the Pythons ordergraph runs on (tests/graph/test_names.py checks the rest of the range).
_COMBINING_END = 0x20000


@lru_cache(maxsize=1)
def _combining() -> dict[int, None]:
    """The characters :func:`fold` drops after decomposing a name (those with a combining class), as
    ``str.translate`` reads them: one C loop per name instead of a Python one per character (a
    search folds the names of ~200 candidates). Built on the first non-ASCII name (~7 ms)."""
    return dict.fromkeys(cp for cp in range(_COMBINING_END) if unicodedata.combining(chr(cp)))


# The same legal forms written in Chinese, as they close a name (simplified: names are folded
# first, so 有限責任公司 and Hong Kong's 有限公司 are read here too). Chinese is written without
# spaces: a form is set aside where it ends a word, as often as one does (控股有限公司: 有限公司,
# then 控股), or where it is the word ("中国移动(香港)有限公司" folds to "中国移动 香港 有限公司").
# Longest first. As in the Latin list, "group" (集团) and "joint stock" (股份, unless in 股份有限公司)
# stay: they tell a group from its member ("小米集团" is not "小米", as "Xiaomi Group" is not
# "Xiaomi"), and "China" (中国) stays in both scripts.
_CJK_LEGAL_FORMS = ("股份有限公司", "有限责任公司", "有限公司", "公司", "控股")
# What normalise_name sets aside, as data: a workspace records it with its name index
# (rules_version), so an index built under other rules is built again when it opens.
NAME_RULES = (tuple(sorted(_LEGAL_WORDS)), _CJK_LEGAL_FORMS, tuple(sorted(_ABBREVIATIONS.items())))


@lru_cache(maxsize=65536)
def normalise_name(text: str) -> str:
    """A name for matching: folded, legal-form words dropped (kept if nothing else is left), in
    either script (:data:`NAME_RULES`: "Co., Ltd." and 有限公司 alike).

    >>> normalise_name("Huawei Technologies Co., Ltd."), normalise_name("华为技术有限公司")
    ('huawei technologies', '华为技术')
    >>> normalise_name("小米集团"), normalise_name("華為投資控股有限公司"), normalise_name("有限公司")
    ('小米集团', '华为投资', '有限公司')

    Abbreviated words read as the words ("Intl" as "International", "Mfg" as "Manufacturing"):

    >>> normalise_name("Semiconductor Mfg Int'l Corp")
    'semiconductor manufacturing international'
    """
    if "'" in text or "’" in text:
        text = _APOSTROPHE_FORM.sub(r"\1l", text)
    words = [_ABBREVIATIONS.get(w, w) for w in fold(text).split()]
    kept = [w for w in words if w not in _LEGAL_WORDS]
    if not text.isascii():
        kept = [short for w in kept if (short := _without_cjk_forms(w))]
    return " ".join(kept or words)


def _without_cjk_forms(word: str) -> str:
    """A word without the Chinese legal forms that end it (:data:`_CJK_LEGAL_FORMS`); "" if that is all."""
    # One C call for the common word that ends with no form; else the first (longest) form it ends with.
    while word.endswith(_CJK_LEGAL_FORMS):
        word = word[: -len(next(form for form in _CJK_LEGAL_FORMS if word.endswith(form)))]
    return word


def rules_version() -> str:
    """What a normalised name depends on: the OpenCC table (:func:`graph.hanzi.table_version`) and
    :data:`NAME_RULES`. A name index records it; built under another, it is built again."""
    rules = hashlib.blake2b(repr(NAME_RULES).encode("utf-8"), digest_size=6).hexdigest()
    return f"{hanzi.table_version()}-{rules}"


# A query word counts as found in a name when it is this alike to one of its words.
WORD_FOUND = 60.0
# The most a name scores when some query word is found nowhere in it ("Tencent Music"
# must not pass for "Tencent Holdings"); less by up to 5 the fewer query words it carries.
PARTIAL_CAP = 75.0


def _word_found(word: str, words: list[str]) -> bool:
    """A query word is in a name: the same (numbers must be), a prefix ("tech"), or a typo of a word."""
    if any(c.isdigit() for c in word):
        return word in words
    if any(w.startswith(word) for w in words):
        return True
    from rapidfuzz import fuzz, process  # here, not at import: an id or a ticker compares no names

    best = process.extractOne(word, words, scorer=fuzz.ratio)
    return best is not None and best[1] >= WORD_FOUND


def all_chinese(text: str) -> bool:
    """Whether every character but spaces is Chinese: such a query is read character by character."""
    return any(c != " " for c in text) and all(
        c == " " or "\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff" for c in text
    )


_CJK_RUN = re.compile("[\u3400-\u9fff\uf900-\ufaff]+")


def script_parts(norm: str) -> list[str]:
    """A normalised query's Chinese part and its other part, when it has both; else the query.

    Each script is scored its own way ("小米 xiaomi": 小米 in part, character by character;
    xiaomi word by word), so a query written in both is split and its parts scored apart.

    >>> script_parts("华为 technologies"), script_parts("huawei")
    (['华为', 'technologies'], ['huawei'])
    """
    chinese = " ".join(_CJK_RUN.findall(norm))
    rest = " ".join(_CJK_RUN.sub(" ", norm).split())
    return [chinese, rest] if chinese and rest else [norm]


# Words that begin or end hundreds of Chinese company names ("China", "Chinese", "group",
# "holding", "joint-stock", "limited (liability) company"): they say nothing of which company
# it is, so names are compared on what is left ("中国移动" on 移动, not 中国).
_CJK_COMMON = re.compile("有限责任公司|有限公司|股份|集团|控股|公司|中国|中华")
# A Chinese name is found one character off (a typo, 讯 for 信) when at least this many of its
# own characters are left: in 联通 vs 卫通 (China Unicom, China Satcom) one off is another company.
_CJK_TYPO_LENGTH = 3


def _cjk_core(text: str) -> str:
    """A Chinese name without spaces or its common words; the whole name when nothing else is left."""
    unspaced = text.replace(" ", "")
    return _CJK_COMMON.sub("", unspaced) or unspaced


def _one_edit_within(word: str, text: str, changes: tuple[int, ...] = (-1, 0, 1)) -> bool:
    """Whether some stretch of ``text`` is one substitution, insertion or deletion from ``word``
    (at least two characters long), or ``word`` itself; with ``changes=(0,)``, one substitution.

    One edit leaves one half of the word as it was: only the stretches around where either half
    is found are compared, so this costs little more than two ``str.find`` on most names.
    """
    from rapidfuzz.distance import Levenshtein

    size = len(word)
    first, second = word[: size // 2], word[size // 2 :]
    for half, before in ((first, 0), (second, size // 2)):
        at = text.find(half)
        while at >= 0:
            for change in changes:
                # The first half found: the stretch begins there; the second: it ends where it does.
                start = at if before == 0 else at + len(half) - size - change
                stretch = text[start : start + size + change] if start >= 0 else ""
                # A stretch cut short by the end of the text is not one of this size.
                if len(stretch) == size + change and Levenshtein.distance(word, stretch, score_cutoff=1) <= 1:
                    return True
            at = text.find(half, at + 1)
    return False


def _in_order(chars: str, text: str) -> bool:
    """Whether every character of ``chars`` is in ``text``, in that order (not necessarily together)."""
    rest = iter(text)
    return all(c in rest for c in chars)


def _abbreviated_in(whole: str, own: str, candidate: str) -> int:
    """The length of the part of the word of ``candidate`` that the query ``whole`` (own part
    ``own``) abbreviates, 0 when none: Chinese short names take characters of the full name in
    order — 中国联通 for 中国联合网络通信, 中国海油 for 中国海洋石油. The query's characters, common
    words too (中国), are in the word in order; its own part begins where the word's own part
    begins and ends in the word's last two characters (its last word: 通信, 石油), so 中国电信 is
    not read in 中国电子信息产业 (China Electronics, whose 信 is in its middle), nor 中国卫通 in 卫士通.

    State companies' short names also take 中 for the 中国 their names begin with: 中海油 for
    中(国)海(洋石)油, 中石化 for 中(国)石(油)化(工). The query's first characters are then those
    of the common words the word begins with (:func:`_leading_common`), and at least two more
    abbreviate the word's own part as above: 中 and one character is no short name (中信, CITIC,
    is not read in 中国电信). The length is then that of the word's common words and own part.

    >>> _abbreviated_in("中国联通", "联通", "中国联合网络通信 香港 股份有限公司")
    6
    >>> _abbreviated_in("中国电信", "电信", "中国电子信息产业集团有限公司")
    0
    >>> _abbreviated_in("中海油", "中海油", "中国海洋石油集团")
    6
    >>> _abbreviated_in("中信", "中信", "中国电信集团")
    0
    """
    if len(own) < 2:
        return 0
    for word in candidate.split():
        core = _cjk_core(word)
        if (
            len(core) > len(own)
            and core[0] == own[0]
            and own[-1] in core[-2:]
            and _in_order(own, core)
            and _in_order(whole, word)
        ):
            return len(core)
        lead = _leading_common(word)
        if not lead or own[0] != lead[0]:
            continue
        taken = 1  # the query's characters taken from the common words, in order
        rest_of_lead = iter(lead[1:])
        while taken < len(own) and own[taken] in rest_of_lead:
            taken += 1
        rest = own[taken:]
        if (
            len(rest) >= 2
            and len(core) >= len(rest)
            and core[0] == rest[0]
            and rest[-1] in core[-2:]
            and _in_order(rest, core)
            and _in_order(whole, word)
        ):
            return len(lead) + len(core)
    return 0


# The common words a Chinese name begins with, whose first character a state company's short
# name may take for them (中 for 中国: 中海油).
_LEADING_COMMON = re.compile("^(?:中国|中华)+")


def _leading_common(word: str) -> str:
    """The common words (中国, 中华) a word begins with, "" when none.

    >>> _leading_common("中国海洋石油集团"), _leading_common("中芯国际")
    ('中国', '')
    """
    found = _LEADING_COMMON.match(word)
    return found.group(0) if found else ""


def abbreviates(query: str, name: str) -> bool:
    """Whether a Chinese ``query`` is a short form of ``name`` made of its characters in order
    (:func:`_abbreviated_in`), as search reads it.

    >>> abbreviates("中国联通", "中国联合网络通信集团有限公司")
    True
    >>> abbreviates("中国电信", "中国电子信息产业集团")
    False
    """
    whole = normalise_name(query).replace(" ", "")
    return all_chinese(whole) and _abbreviated_in(whole, _cjk_core(whole), normalise_name(name)) > 0


def _cjk_similarity(query: str, candidate: str, short_typos: bool = False) -> float:
    """:func:`similarity` for a query written in Chinese, in time linear in the name's length.

    A name containing the query scores 85..100 (the more of it the query is, the more);
    containing its own characters (common words aside), or abbreviated by them in order
    (:func:`_abbreviated_in`: 中国联通 in 中国联合网络通信集团), 80..90; one of them off (when it has
    at least three) 75..85. With ``short_typos``, also 70..80 for the whole query one character
    replaced in the name when it has fewer than three own characters, one of them in the name
    (中国移栋 for 中国移动: 中国 says where 移动 must be) — but so is 中国联通 one off 中国卫通, two
    companies: the caller says when the query is not a name as it stands (a search that found
    nothing; a review, which a person judges). Otherwise under 60, by the share of its own
    characters the name has: names alike only in 中国 or 有限公司 and a character of the rest
    are not found.
    """
    if not _CJK_RUN.search(candidate):
        # A name without Chinese characters has none of the query's: it scores 0 below, at the cost
        # of a word-by-word look for an abbreviation (most of a Chinese search's scoring at 1M).
        return 0.0
    unspaced = candidate.replace(" ", "")
    whole = query.replace(" ", "")
    if whole in unspaced:
        return 85.0 + 15.0 * len(whole) / len(unspaced)
    own, theirs = _cjk_core(whole), _cjk_core(unspaced)
    if own in theirs:
        return 80.0 + 10.0 * len(own) / len(theirs)
    shortened = _abbreviated_in(whole, own, candidate)
    if shortened:
        return 80.0 + 10.0 * len(own) / shortened
    shared = sum(c in theirs for c in own)
    # One substitution, insertion or deletion: some stretch of their name one edit from ours. One
    # of three characters dropped leaves two, a name of its own: 中海 (China Shipping) is not 中海油
    # one off, nor 石油 中石油 (PetroChina) in 中国石油化工 (Sinopec).
    changes = (-1, 0, 1) if len(own) > _CJK_TYPO_LENGTH else (0, 1)
    if len(own) >= _CJK_TYPO_LENGTH and shared >= len(own) - 1 and _one_edit_within(own, theirs, changes):
        return 75.0 + 10.0 * len(own) / max(len(theirs), len(own))
    # Too few characters of its own to be one off on their own: the common words around them
    # say where they are, and the whole query must be one character replaced in the name (one
    # dropped would let 中国移动 pass for 中国动力).
    if (
        short_typos
        and len(own) < _CJK_TYPO_LENGTH <= len(whole)
        and shared
        and _one_edit_within(whole, unspaced, changes=(0,))
    ):
        return 70.0 + 10.0 * len(whole) / max(len(unspaced), len(whole))
    return 59.0 * shared / len(own)


def coverage(query: str, candidate: str) -> float:
    """The share of the query's words found in a name, 0..1; a word with digits weighs 3.

    Numbers are what tells one list or order from its neighbour ("1237" vs "1260H").

    >>> round(coverage("dod section 1237 list", "section 1237 list"), 2)
    0.83
    """
    words = candidate.split()
    weights = {q: 3.0 if any(c.isdigit() for c in q) else 1.0 for q in query.split()}
    total = sum(weights.values())
    found = sum(w for q, w in weights.items() if _word_found(q, words))
    return found / total if total else 0.0


def similarity(query: str, candidate: str, short_typos: bool = False) -> float:
    """How alike two normalised names are, 0..100, forgiving typos and word order
    (``short_typos``: in short Chinese names too, see :func:`_cjk_similarity`).

    >>> similarity("grand china aie", "grand china air") > 90
    True
    >>> similarity("tencent music", "tencent") <= PARTIAL_CAP
    True
    >>> similarity("eo 13958", "eo 13959") <= PARTIAL_CAP   # numbers are never typos
    True
    >>> similarity("小米", "小米集团") > 90   # Chinese: a partial name matches
    True
    """
    if not query or not candidate:
        return 0.0
    if all_chinese(query):
        # Chinese is written without spaces: a query inside a name is a partial match.
        return _cjk_similarity(query, candidate, short_typos)
    from rapidfuzz import fuzz, process

    words = candidate.split()
    asked = query.split()
    every_word_found = all(_word_found(q, words) for q in asked)
    full = fuzz.ratio(query, candidate)
    partial = fuzz.token_set_ratio(query, candidate)
    word_score = 0.0
    if len(asked) == 1 and len(query) >= 4:
        # A short query inside a long name ("hikvison" in "hangzhou hikvision digital technology").
        best = process.extractOne(query, words, scorer=fuzz.ratio)
        word_score = best[1] * 0.9 if best is not None else 0.0
    score = float(max(full, partial * 0.95, word_score))
    if every_word_found:
        return score
    # Among partial matches, the name carrying more of the query's (distinctive) words ranks first.
    return min(score, PARTIAL_CAP - 5.0 * (1.0 - coverage(query, candidate)))


def code_key(code: str) -> str:
    """How a security code is looked up: upper case, an all-digit code without leading zeros.

    >>> code_key("01810") == code_key("1810"), code_key("chl")
    (True, 'CHL')
    """
    code = code.upper()
    return code.lstrip("0") if code.isdigit() else code


def name_keys(node: Node) -> Iterator[str]:
    """Every string that names a node: its name, aliases, and an order's number and FR ids."""
    return _name_keys(node.kind, node.name, node.aliases, node.properties)


def doc_name_keys(doc: Mapping[str, Any]) -> Iterator[str]:
    """:func:`name_keys` of a node's document (its ``model_dump``), without building the model."""
    return _name_keys(doc["kind"], doc["name"], doc["aliases"], doc["properties"])


def _name_keys(kind: str, name: str, aliases: Iterable[str], properties: Mapping[str, Any]) -> Iterator[str]:
    yield name
    yield from aliases
    yield from order_keys(kind, properties)


def order_keys(kind: str, properties: Mapping[str, Any]) -> Iterator[str]:
    """The keys of :func:`name_keys` after a node's name and aliases: an order's number and FR ids."""
    if kind == "ExecutiveOrder":
        number = properties.get("number")
        if number is not None:
            yield str(number)
            yield f"EO {number}"
            yield f"Executive Order {number}"
        for prop in ("fr_doc", "fr_citation"):
            value = properties.get(prop)
            if isinstance(value, str):
                yield value


# A character of a script written without spaces (Japanese kana, CJK ideographs and their
# compatibility forms): one regex search a word, in C, not a Python test a character.
_UNSPACED = re.compile("[\u3040-\u9fff\uf900-\ufaff]")


def _unspaced(word: str) -> bool:
    """Whether a word is in a script written without spaces (Chinese, Japanese kana).

    >>> _unspaced("小米"), _unspaced("かな"), _unspaced("xiaomi"), _unspaced("сяоми")
    (True, True, False, False)
    """
    return not word.isascii() and _UNSPACED.search(word) is not None


def name_tokens(text: str) -> list[str]:
    """The words a name is indexed by: its normalised words, except that a word in a script
    written without spaces is its character pairs (so "小米" finds "小米集团"), each once.

    A store keeps these in a word index; typos are forgiven at query time against the
    index's vocabulary, which pairs keep small (a Chinese name is one long "word").

    >>> name_tokens("Luokung Technology Corp.")
    ['luokung', 'technology']
    >>> name_tokens("小米集团 小米")
    ['小米', '米集', '集团']
    """
    return norm_tokens(normalise_name(text))


def norm_tokens(norm: str) -> list[str]:
    """:func:`name_tokens` of a name already normalised (by :func:`normalise_name`): a loader
    that normalised it for its own use does not normalise it again."""
    if norm.isascii():  # no word is written without spaces: the words themselves
        return list(dict.fromkeys(norm.split()))
    found: dict[str, None] = {}
    for word in norm.split():
        if len(word) > 2 and _unspaced(word):
            found.update((word[i : i + 2], None) for i in range(len(word) - 1))
        else:
            found[word] = None
    return list(found)


def similarity_bounds(query: str, candidates: Sequence[str], short_typos: bool = False) -> list[float]:
    """For each candidate, a number :func:`similarity` never exceeds, from rapidfuzz's C loops.

    It is the score before the partial-match cap, without the per-word checks that
    make :func:`similarity` slow: a search ranks hundreds of names by it and
    scores exactly only those that may reach its top answers.

    >>> names = ["grand china air", "tencent", "china mobile"]
    >>> bounds = similarity_bounds("grand china aie", names)
    >>> all(b >= similarity("grand china aie", n) for b, n in zip(bounds, names))
    True
    """
    from rapidfuzz import fuzz, process

    full = {i: s for _, s, i in process.extract(query, candidates, scorer=fuzz.ratio, limit=None)}
    partial = {
        i: s for _, s, i in process.extract(query, candidates, scorer=fuzz.token_set_ratio, limit=None)
    }
    word = [0.0] * len(candidates)
    if len(query.split()) == 1 and len(query) >= 4:
        words = list({w for c in candidates for w in c.split()})
        alike = {w: s for w, s, _ in process.extract(query, words, scorer=fuzz.ratio, limit=None)}
        word = [max((alike[w] for w in c.split()), default=0.0) * 0.9 for c in candidates]
    bounds = []
    cjk = all_chinese(query)
    for i, candidate in enumerate(candidates):
        if not query or not candidate:
            bounds.append(0.0)
        elif cjk:  # the score itself: as cheap, linear in the name's length
            bounds.append(_cjk_similarity(query, candidate, short_typos))
        else:
            bounds.append(float(max(full[i], partial[i] * 0.95, word[i])))
    return bounds
