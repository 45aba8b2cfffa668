"""A store wrapper that counts the calls a query makes: each is a round trip to a remote store."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from graph.store.base import GraphStore


class CountingStore:
    """Passes every call through to ``inner`` and counts it by method name."""

    def __init__(self, inner: GraphStore) -> None:
        self.inner = inner
        self.calls: Counter[str] = Counter()

    def __getattr__(self, name: str) -> Callable[..., Any]:
        method = getattr(self.inner, name)

        def counted(*args: Any, **kwargs: Any) -> Any:
            self.calls[name] += 1
            return method(*args, **kwargs)

        return counted

    def total(self) -> int:
        return sum(self.calls.values())

    def reset(self) -> None:
        self.calls.clear()
