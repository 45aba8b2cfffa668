"""Chinese names read in pinyin, for a reader who writes a name as it sounds: "Haikang" for 海康威视.

Reporters write a company's Chinese short name in pinyin, without tones ("Haikang Weishi",
"Zhonghaiyou"), where a source gives 海康威视 or 中海油. A Latin word that is a run of pinyin
syllables is read here as the characters it may stand for: each character's readings are those
of the Unicode Han database as the ``pypinyin`` package (MIT) ships them (``pinyin_dict.json``:
every reading of a character, 行 both xing and hang), tones and the diaeresis dropped (lü is lu,
as :func:`graph.names.fold` reads it). The table is read the first time a query is read so, not
at import; nothing is written: names are indexed as they were, and a query is matched to them
(:func:`graph.store.words.word_query` finds the character pairs a reading may be,
:func:`graph.query.search` scores the characters it spells in a name).

>>> spellings("haikang")
[('hai', 'kang')]
>>> spellings("changan")  # 长安 written without its apostrophe (Chang'an), or chan-gan: both
[('chan', 'gan'), ('chang', 'an')]
>>> spells(spellings("haikang"), "杭州海康威视数字技术")
'海康'
>>> spells(spellings("haikang"), "中国海洋石油") is None
True
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Sequence
from functools import cache, lru_cache
from importlib.util import find_spec
from itertools import pairwise
from pathlib import Path

from graph.hanzi import table as traditional_table

# The package and file the readings are read from (its format: {"code point": "hǎi,…"}).
PACKAGE = "pypinyin"
TABLE = "pinyin_dict.json"
# Readings that are interjections (嗯 n, 呣 m, 哼 hng): no name is spelt with them, and an English
# word ending in "n" or "m" would otherwise read as pinyin.
_INTERJECTIONS = frozenset({"m", "n", "ng", "hm", "hng"})
# The longest syllable (zhuang, shuang, chuang).
_LONGEST = 6
# At most this many ways to read one text ("xian": xi-an or xian); more are not tried.
SPELLINGS = 8


def table_text() -> str:
    """The ``pypinyin`` package's reading table, found without importing the package (its import
    loads its phrase dictionary: most of a second)."""
    spec = find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"{PACKAGE} is not installed", name=PACKAGE)
    return (Path(spec.submodule_search_locations[0]) / TABLE).read_text(encoding="utf-8")


def _toneless(letter: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", letter) if not unicodedata.combining(c))


@cache
def readings() -> dict[str, frozenset[str]]:
    """Each character's readings, toneless ("海": {"hai"}); read once a process (~0.2 s)."""
    text = table_text()
    # The table's letters with tone marks (ǎ, ǘ…), each once, without them: one translate of the text.
    text = text.translate({ord(c): _toneless(c) for c in set(text) if not c.isascii()})
    out: dict[str, frozenset[str]] = {}
    for point, listed in json.loads(text).items():
        found = frozenset(listed.split(",")) - _INTERJECTIONS
        if found:
            out[chr(int(point))] = found
    return out


@cache
def characters() -> dict[str, str]:
    """The characters read each way ("kang": "康抗…") that a query's syllables are looked up as:
    those of GB 2312, the 6,763 characters mainland names are written in (the table has 41,923:
    "yi" would be 816 of them, and a pair of syllables their square). Simplified only: names are
    matched folded to simplified characters (:mod:`graph.hanzi`)."""
    traditional = traditional_table()
    read = readings()
    out: dict[str, list[str]] = {}
    for char in sorted(_gb2312()):
        if ord(char) not in traditional:
            for syllable in read.get(char, ()):
                out.setdefault(syllable, []).append(char)
    return {syllable: "".join(chars) for syllable, chars in out.items()}


def _gb2312() -> frozenset[str]:
    """GB 2312's Chinese characters: rows 0xB0–0xF7 of its two-byte codes, 94 cells a row."""
    cells = (bytes([row, cell]) for row in range(0xB0, 0xF8) for cell in range(0xA1, 0xFF))
    return frozenset(code.decode("gb2312", errors="ignore") for code in cells) - {""}


@lru_cache(maxsize=4096)
def spellings(text: str) -> list[tuple[str, ...]]:
    """Every way (at most ``SPELLINGS``) to read a folded Latin text as pinyin syllables, when it is
    at least two; [] when it is not pinyin ("semiconductor") or one syllable (one syllable is too
    many characters to stand for one). A space parts syllables, as pinyin's apostrophe does: each
    word is read on its own ("hai kang", one syllable a word, as "haikang"; "hai er" as 海尔).

    >>> spellings("haikang weishi"), spellings("huawei"), spellings("semiconductor"), spellings("hai")
    ([('hai', 'kang', 'wei', 'shi')], [('hua', 'wei')], [], [])
    >>> spellings("hai kang"), spellings("hai er"), spellings("haier")
    ([('hai', 'kang')], [('hai', 'er')], [])
    """
    ways: list[tuple[str, ...]] = [()]
    for word in text.split():
        read = _word_spellings(word)
        if not read:
            return []
        ways = [(*before, *after) for before in ways for after in read][:SPELLINGS]
    return [way for way in ways if len(way) >= 2]


@lru_cache(maxsize=4096)
def _word_spellings(letters: str) -> list[tuple[str, ...]]:
    """Every way (at most ``SPELLINGS``) to read one Latin word as pinyin syllables, one or more."""
    if not letters.isascii() or not letters.isalpha():
        return []
    known = characters()
    # ways[i]: the readings of letters[i:], built from the end.
    ways: list[list[tuple[str, ...]]] = [[] for _ in letters] + [[()]]
    for start in range(len(letters) - 1, -1, -1):
        for end in range(start + 1, min(start + _LONGEST, len(letters)) + 1):
            syllable = letters[start:end]
            if syllable in known:
                # A syllable beginning with a vowel follows another only after n or g (Chang'an
                # written "Changan"): pinyin writes it apart otherwise (hua-wei is no hu-a-wei).
                ways[start] += [
                    (syllable, *rest)
                    for rest in ways[end]
                    if not rest or rest[0][0] not in "aoe" or syllable[-1] in "ng"
                ][:SPELLINGS]
        ways[start] = ways[start][:SPELLINGS]
    return ways[0]


def pairs(spelt: Sequence[str]) -> list[tuple[str, str]]:
    """The characters each two syllables following each other may be, as lists of candidates:
    what a name carrying the reading carries (names are indexed by character pairs)."""
    known = characters()
    return [(known.get(first, ""), known.get(second, "")) for first, second in pairwise(spelt)]


def spells(ways: Sequence[Sequence[str]], name: str) -> str | None:
    """The characters of a normalised ``name`` that one of the ``ways`` (:func:`spellings`) spells:
    a run of characters read so, the first found; else, one each in order (中海油 is read in
    中国海洋石油 too, and the caller judges whether such a name is abbreviated); None when none.
    """
    read = readings()
    chars = name.replace(" ", "")
    for way in ways:
        for start in range(len(chars) - len(way) + 1):
            if all(s in read.get(c, ()) for s, c in zip(way, chars[start:], strict=False)):
                return chars[start : start + len(way)]
    for way in ways:
        picked = []
        at = 0
        for syllable in way:
            while at < len(chars) and syllable not in read.get(chars[at], ()):
                at += 1
            if at == len(chars):
                break
            picked.append(chars[at])
            at += 1
        if len(picked) == len(way):
            return "".join(picked)
    return None
