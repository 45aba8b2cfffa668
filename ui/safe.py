"""Showing data from outside safely: markdown escaped, only http(s) links clickable.

>>> print(md("<img src=x onerror=alert(1)>"))
\\<img src\\=x onerror\\=alert\\(1\\)\\>
>>> print(link("click", "javascript:alert(1)"))
click (javascript\\:alert\\(1\\))
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import quote, urlsplit

from graph.labels import source_names
from graph.model import Source
from graph.plain import announced_ahead, source_label

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~=$&:])")
# GFM links bare addresses after escapes are read (``http\://x`` still becomes a link), so a
# word joiner (U+2060, invisible) goes where the autolinker must not see a word boundary.
_AUTOLINK = re.compile(r"(?i)(?=\b(?:https?://|www\.))|(?<=@)")
_JOINER = "\u2060"
# What Streamlit's front end takes for an emoji shortcode (``:HKEX:`` in ``SEC:HKEX:1810``), code
# spans included: any such text makes every visitor's browser fetch its emoji plugin and a 259 KB table.
_SHORTCODE = re.compile(r":(?!material/|streamlit:)[\w+-][\w_+-]*:", re.ASCII)


def md(text: object) -> str:
    """Text that markdown shows as it is (no links, not even bare addresses, no HTML, no formatting).

    >>> "](" in md("[x](http://198.51.100.7/p)") or "http://" in md("http://198.51.100.7")
    False
    """
    return _MD_SPECIAL.sub(r"\\\1", _AUTOLINK.sub(_JOINER, str(text)))


def md_code(text: object) -> str:
    """A message that marks commands with backticks (as the CLI's do): those spans as code, the rest
    as :func:`md` shows it. Unpaired backticks leave the whole message to :func:`md`.

    >>> print(md_code("start one with `ordergraph neo4j start` (here)"))
    start one with `ordergraph neo4j start` \\(here\\)
    """
    parts = str(text).split("`")
    if len(parts) % 2 == 0:
        return md(text)
    return "".join(code(part) if i % 2 else md(part) for i, part in enumerate(parts))


def code(text: object) -> str:
    """Text as an inline code span: markdown is not read inside it, so only backticks need care.

    Text Streamlit would scan for emoji shortcodes (an id such as ``SEC:HKEX:1810``) is cut at
    its colons into code spans with the colons between them: still monospace, copied as it is,
    and no ``:word:`` is left to find (a colon is followed by a backtick).

    >>> print(code("SEC:HKEX:1810"), code("0728.HK"), code("ORG:xiaomi"))
    `SEC`:`HKEX`:`1810` `0728.HK` `ORG:xiaomi`
    """
    plain = str(text).replace("`", "ʼ")
    if _SHORTCODE.search(plain):
        return ":".join(f"`{part}`" if part.strip() else part for part in plain.split(":"))
    return f"`{plain}`"


def safe_url(url: object) -> str | None:
    """The URL when it is a plain http(s) address, else None (``javascript:``, ``data:`` never pass)."""
    if not isinstance(url, str):
        return None
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return quote(url.strip(), safe=":/?#[]@!$&'*+,;=%~-._")


def source_links(sources: Sequence[Source], empty: str = "no source", most: int = 2) -> str:
    """The first ``most`` sources as links named by their publishers, told apart where two share one
    (:func:`graph.labels.source_names`), `` · ``-separated; ``empty`` (markdown) when there is none."""
    shown = one_per_address(sources)[:most]
    return " · ".join(link(name, s.url) for name, s in zip(source_names(shown), shown, strict=True)) or empty


def one_per_address(sources: Sequence[Source]) -> list[Source]:
    """``sources`` with each address once, the first citing it kept: a document cited twice (at two
    places in it) is one link to a reader, not two of one name."""
    first: dict[str, Source] = {}
    for source in sources:
        first.setdefault(source.url, source)
    return list(first.values())


def link(text: object, url: object) -> str:
    """A markdown link when the URL is safe; otherwise the text and the URL, unclickable."""
    target = safe_url(url)
    if target is None:
        return f"{md(text)} ({md(url)})"
    return f"[{md(text)}]({target.replace('(', '%28').replace(')', '%29')})"


def announced_links(sources: Sequence[Source]) -> str | None:
    """:func:`graph.plain.announced_ahead` as markdown: each announcer a link (its label, its
    address as the target), the words around it as the CLI prints them; None when there are none."""
    return announced_ahead(list(sources), lambda source: link(source_label(source), source.url))
