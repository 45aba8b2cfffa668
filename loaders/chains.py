"""Strong identifiers found to name one entity: what makes a merge independent of the order of lines.

An entity carrying a strong identifier of each of two nodes kept apart so far (A carrying B's FtM id
and C's LEI, read after B and C) says the three are one. Merging in order, B and C are two nodes by
the time A is read, and A could join only one of them; read first, A makes the node both join. So
the resolver notes, for such an entity, that its identifiers (and its id) name one entity of its
kind (:meth:`Chains.join`), and whoever merges asks again knowing them (the workspace merges every
dataset again: ``loaders/workspace/remerge.py``): then an entity carrying any of them finds the node
of any other (B's FtM id finds the node C's LEI made), whichever comes first, as union-find keeps
connected components.

>>> chains = Chains()
>>> chains.join("Company", [("ftm_id", "a"), ("ftm_id", "b"), ("lei", "L1")])
True
>>> chains.grew, chains.members("Company", ("lei", "L1"))
(True, [('ftm_id', 'a'), ('ftm_id', 'b'), ('lei', 'L1')])
>>> chains.join("Company", [("lei", "L1"), ("ftm_id", "b")])  # known: nothing new
False
>>> chains.members("Security", ("lei", "L1")), chains.holds([("lei", "L1")])
([('lei', 'L1')], True)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

# A strong identifier (scheme, value); the scheme ``ID`` stands for a node's own id.
Key = tuple[str, str]
ID = "id"


@dataclass
class Chains:
    """The identifiers found to name one entity, kind by kind (a union-find over them)."""

    _parent: dict[tuple[str, Key], tuple[str, Key]] = field(default_factory=dict)
    _members: dict[tuple[str, Key], list[Key]] = field(default_factory=dict)  # by root
    _keys: set[Key] = field(default_factory=set)  # every key of every kind
    # Whether :meth:`join` learnt anything since this was last set false (by whoever merges again).
    grew: bool = False
    # The datasets whose records joined nodes holding another dataset's records.
    by: set[str] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self._keys)

    def _root(self, item: tuple[str, Key]) -> tuple[str, Key]:
        parent = self._parent.get(item, item)
        while parent != item:
            grand = self._parent.get(parent, parent)
            self._parent[item] = grand
            item, parent = parent, grand
        return item

    def join(self, kind: str, keys: Iterable[Key], by: str | None = None) -> bool:
        """Note that ``keys`` name one entity of ``kind`` (``by``: the dataset whose record joined
        nodes holding another's, ``by``); whether that is news."""
        if by is not None:
            self.by.add(by)
        roots = list(dict.fromkeys(self._root((kind, key)) for key in keys))
        if len(roots) < 2:
            return False
        top, *rest = roots
        members = self._members.setdefault(top, [top[1]])
        for root in rest:
            self._parent[root] = top
            members += self._members.pop(root, [root[1]])
        members.sort()
        self._keys.update(members)
        self.grew = True
        return True

    def members(self, kind: str, key: Key) -> list[Key]:
        """The keys naming the entity ``key`` names (``key`` alone when none is known), sorted."""
        if key not in self._keys:
            return [key]
        return list(self._members.get(self._root((kind, key)), [key]))

    def holds(self, keys: Iterable[Key]) -> bool:
        """Whether any of ``keys`` (of any kind) is one of several naming one entity."""
        return bool(self._keys) and any(key in self._keys for key in keys)
