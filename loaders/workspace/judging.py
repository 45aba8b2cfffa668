"""Recording a person's resolution decision and merging the graph again with it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from graph.errors import LoadError
from loaders.workspace.datasets import SetAside
from loaders.workspace.folders import RESOLUTIONS
from loaders.workspace.loading import Loading

if TYPE_CHECKING:
    from loaders.resolve import Judgement

# The readers and the resolver are imported where used: a command over the curated
# graph (``ordergraph affects``) starts without loading any of them.


class Judging(Loading):
    """Recording decisions in the workspace's resolutions.yaml."""

    def judge(self, judgement: Judgement) -> list[SetAside]:
        """Record a person's decision and merge the graph again with it.

        Returns the links newly set aside: another dataset's link to a node the decision merged
        away (an article's mention of the company now merged into another) names a node no
        dataset gives now, so it waits out of the graph, as after an unload.
        """
        from loaders.files import real_path, recording_decision, write_whole
        from loaders.resolve import read_judgements, write_judgements

        store = self.store()
        for node_id in (judgement.a, judgement.b):
            # A dataset's own id merged into another node names an entity too: saying it is
            # *different* from that node is how a wrong merge is undone.
            if store.get_node(node_id) is None and not self._gave(node_id):
                raise LoadError(str(self.folder / RESOLUTIONS), None, None, f"unknown node {node_id!r}")
        file = self.folder / RESOLUTIONS
        # One judgement at a time: another process's read-modify-write of the file (and its merge,
        # and its undoing on failure) ends before this one reads it, so neither decision is lost.
        # Whether merging again would drop rows is asked holding the lock, as the merge then runs.
        with self._locked(recording_decision(file)):
            self._refuse_unrecorded("with this decision")
            before = file.read_text(encoding="utf-8") if file.exists() else None
            existing = read_judgements(file)
            kept = [j for j in existing if j.pair != judgement.pair]
            write_judgements(file, [*kept, judgement])
            aside = self.set_aside()
            try:
                self._rebuild(why="a resolution decision changed")
            except BaseException:
                if before is None:
                    real_path(file).unlink()  # the file this wrote; a link to it stays as it was
                else:
                    write_whole(file, before)
                raise
        return [a for a in self.set_aside() if a not in aside]
