"""The 1,000 random queries of a run, drawn from the corpus file itself (seeded).

Search texts are what users type: a name, a CJK or Cyrillic alias, a name with
a typo, a word or two of a name, a ticker in another spelling. Entity picks are
FtM ids; the engine maps them to its own ids.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

import orjson


@dataclass
class Sample:
    companies: list[str] = field(default_factory=list)
    securities: list[str] = field(default_factory=list)
    pairs: list[tuple[str, str]] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    # For each text, the FtM id of the company it was drawn from and how ("name", "alias",
    # "typo", "words"), or ("", "ticker"): what a search's quality is read against.
    drawn_from: list[tuple[str, str]] = field(default_factory=list)


_KINDS = ("name", "alias", "typo", "words")


def _typo(rng: random.Random, text: str) -> str:
    if len(text) < 6:
        return text
    i = rng.randrange(1, len(text) - 2)
    kind = rng.randrange(3)
    if kind == 0:  # swap two letters
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    if kind == 1:  # drop one
        return text[:i] + text[i + 1 :]
    return text[:i] + "e" + text[i + 1 :]  # replace one


def _ticker_spelling(rng: random.Random, ticker: str) -> str:
    code, _, suffix = ticker.partition(".")
    exchange = {"HK": "HKEX", "SS": "SSE", "SZ": "SZSE"}.get(suffix)
    return rng.choice([ticker, f"{exchange}:{code}" if exchange else code, f"{code} {suffix}".strip()])


def draw(path: Path, n: int = 1000, seed: int = 1) -> Sample:
    """``n`` picks of each kind from the corpus at ``path`` (reservoir-sampled in one pass)."""
    rng = random.Random(seed)
    companies: list[tuple[str, list[str]]] = []
    securities: list[tuple[str, str]] = []
    seen_c = seen_s = 0
    with path.open("rb") as fh:
        for line in fh:
            if b'"schema":"Company"' in line:
                entity = orjson.loads(line)
                props = entity["properties"]
                item = (entity["id"], [*props["name"], *props.get("alias", ())])
                seen_c += 1
                if len(companies) < n:
                    companies.append(item)
                elif (j := rng.randrange(seen_c)) < n:
                    companies[j] = item
            elif b'"schema":"Security"' in line:
                entity = orjson.loads(line)
                item2 = (entity["id"], entity["properties"]["ticker"][0])
                seen_s += 1
                if len(securities) < n:
                    securities.append(item2)
                elif (j := rng.randrange(seen_s)) < n:
                    securities[j] = item2
    sample = Sample(
        companies=[c[0] for c in companies],
        securities=[s[0] for s in securities],
    )
    ids = sample.companies
    sample.pairs = [(rng.choice(ids), rng.choice(ids)) for _ in range(n)] if ids else []
    for i in range(n):
        if not companies:
            break
        company, names = companies[i % len(companies)]
        kind = i % 5
        if kind == 0:
            sample.texts.append(names[0])
        elif kind == 1:
            sample.texts.append(rng.choice(names[1:] or names))  # CJK / Cyrillic / short alias
        elif kind == 2:
            sample.texts.append(_typo(rng, names[0]))
        elif kind == 3:
            words = names[0].split()
            sample.texts.append(" ".join(words[: min(2, len(words))]))
        elif securities:
            sample.texts.append(_ticker_spelling(rng, securities[i % len(securities)][1]))
        else:
            continue
        sample.drawn_from.append(("", "ticker") if kind == 4 else (company, _KINDS[kind]))
    return sample
