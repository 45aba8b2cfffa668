"""Names indexed as ordergraph indexed them before it folded traditional Chinese to simplified
(graph/hanzi.py), and so before it set Chinese legal forms aside (有限公司, graph.names): a file or
database written then is made here, then opened or synced by this version."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from graph import cypher, names
from graph.store import words
from loaders import resolve


def _forget() -> None:
    """The caches of normalised names and their words, which hold what folding gave (and the
    version of the keys computed from them a Neo4j graph records)."""
    names.normalise_name.cache_clear()
    cypher.keys_version.cache_clear()
    words._exact_key.cache_clear()
    resolve._normalised.cache_clear()


@contextmanager
def unfolded(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Inside: names normalised and indexed without the folding (nor the Chinese legal forms set
    aside), as before it came in."""
    _forget()
    with monkeypatch.context() as patch:
        patch.setattr(names, "simplified", lambda text: text)
        patch.setattr(names, "_CJK_LEGAL_FORMS", ())
        try:
            yield
        finally:
            _forget()
