"""``affects`` answers of a store, each computed once per test run.

Six sweeps ask the curated graph (the session's ``store``) for the same answers: the Neo4j parity
file on two routes, the golden snapshot, two timeline checks, the cookbook's and the backends'
checks, each every security around every rule boundary. One answer takes about a millisecond; ten
thousand of them, six times over, took a minute of the suite. The answers are kept per store object
and forgotten with it, so a store built for one test (a mini variant) keeps its own. Only for
stores nothing writes to once they have answered (the fixtures' stores are read-only)."""

from __future__ import annotations

from datetime import date
from weakref import WeakKeyDictionary

from graph.affects import affects
from graph.store.base import GraphStore
from graph.views import AffectsAnswer

_ANSWERS: WeakKeyDictionary[GraphStore, dict[tuple[str, date], AffectsAnswer]] = WeakKeyDictionary()


def affects_once(store: GraphStore, security_id: str, day: date) -> AffectsAnswer:
    """``affects(store, security_id, day)``, computed on the first asking only."""
    answers = _ANSWERS.setdefault(store, {})
    key = (security_id, day)
    if key not in answers:
        answers[key] = affects(store, security_id, day)
    return answers[key]
