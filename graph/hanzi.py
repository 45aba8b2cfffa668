"""Traditional Chinese characters folded to simplified ones, one character at a time, for matching.

A Hong Kong or Taiwan reader writes 中國移動 or 華為 where a mainland source gives 中国移动 or 华为:
names are matched on both sides folded to simplified characters, as search engines' ST
conversion filters do (a character table, no phrases: 乾 folds to 干 in every name, and so does
the query that types it, so both still meet). Only matching folds: names are shown as given.

The table is OpenCC's ``TSCharacters.txt`` (Apache-2.0, https://github.com/BYVoid/OpenCC) as the
``opencc-purepy`` package (MIT) ships it, each character's first simplified form taken; it is read
the first time a non-ASCII name is folded, not at import.

>>> simplified("中國移動 華為 小米集團 海康威視")
'中国移动 华为 小米集团 海康威视'
>>> simplified("中国移动"), simplified("Société Générale")
('中国移动', 'Société Générale')
"""

from __future__ import annotations

import hashlib
from functools import cache, lru_cache
from importlib.util import find_spec
from pathlib import Path

# The package and file the table is read from (its format: "traditional<TAB>simplified [other…]").
PACKAGE = "opencc_purepy"
TABLE = "dicts/TSCharacters.txt"


def table_text() -> str:
    """OpenCC's table as the installed ``opencc-purepy`` ships it.

    Found without importing the package (its import takes about 0.1 s, every command's start-up
    reads the table's version: :func:`table_version`)."""
    spec = find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"{PACKAGE} (opencc-purepy) is not installed", name=PACKAGE)
    return (Path(spec.submodule_search_locations[0]) / TABLE).read_text(encoding="utf-8")


@cache
def table_version() -> str:
    """A hash of the table's text: what folded names depend on, so what caches of them key on (a
    new ``opencc-purepy`` with another table gives another). Read and hashed once a process: every
    workspace open asks for it."""
    return hashlib.blake2b(table_text().encode("utf-8"), digest_size=12).hexdigest()


@lru_cache(maxsize=1)
def table() -> dict[int, str]:
    """Each traditional character's simplified one, as ``str.translate`` reads it.

    A character whose simplified form is itself traditional in the table (薴 → 苧 → 苎) goes to the
    end of that chain: folding twice gives what folding once does.
    """
    pairs: dict[str, str] = {}
    for line in table_text().splitlines():
        if not line or line.startswith("#"):
            continue
        traditional, _, forms = line.partition("\t")
        first = forms.split(" ")[0]
        if len(traditional) == 1 and len(first) == 1 and first != traditional:
            pairs[traditional] = first
    out: dict[int, str] = {}
    for traditional, first in pairs.items():
        seen = {traditional}
        while first in pairs and first not in seen:
            seen.add(first)
            first = pairs[first]
        out[ord(traditional)] = first
    return out


def simplified(text: str) -> str:
    """``text`` with its traditional characters replaced by simplified ones; ASCII is returned as is."""
    return text if text.isascii() else text.translate(table())
