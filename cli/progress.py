"""Progress on stderr: a bar over a long load, and the notice of a workspace merged again."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from cli.session import Session
    from loaders.workspace import Remerge


# A file smaller than this loads in a moment: no bar.
PROGRESS_MIN_BYTES = 1 << 20
PROGRESS_MIN_ROWS = 50_000  # a re-merge shorter than this (a few seconds) gets no progress


def _count_lines(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))


@contextlib.contextmanager
def load_progress(session: Session, path: Path) -> Iterator[Callable[[int], None] | None]:
    """A progress bar on stderr over the lines of a long load, when stderr is a terminal.

    Nothing under ``--json`` or when stderr is a pipe or a file, and nothing for a small file.
    """
    if session.json or not sys.stderr.isatty() or not path.is_file():
        yield None
        return
    if path.stat().st_size < PROGRESS_MIN_BYTES:
        yield None
        return
    total = max(_count_lines(path), 1)
    with click.progressbar(length=total, label=f"loading {path.name}", file=sys.stderr) as bar:
        done = 0

        def advance(line: int) -> None:
            nonlocal done
            if line > done:
                bar.update(min(line, total) - done)
                done = min(line, total)

        yield advance


class RemergeNotice:
    """Tells a person on stderr that opening the workspace merges every loaded dataset again, and why.

    The sentence when it begins; then, for a long run, a progress bar on a terminal or a line every
    tenth of the rows elsewhere (a log); and how long it took (:class:`loaders.workspace.RemergeLines`).
    Nothing under ``--json`` (stderr is kept for one error there).
    """

    def __init__(self, quiet: bool = False) -> None:
        from loaders.workspace import RemergeLines

        self.quiet = quiet
        self.lines = RemergeLines(lambda said: click.echo(f"note: {said}", err=True), PROGRESS_MIN_ROWS)
        self.bar: Any = None
        self.shown = 0  # rows the bar shows as merged

    def __call__(self, event: Remerge) -> None:
        if self.quiet:
            return
        if self.bar is not None and event.stage in ("done", "failed"):
            if event.stage == "done":
                self.bar.update(event.rows - self.shown)
            self.bar.render_finish()  # ends the bar's line: what follows starts on its own
            self.bar = None
        elif event.stage == "merging" and event.rows >= PROGRESS_MIN_ROWS and sys.stderr.isatty():
            if self.bar is None:
                self.bar = click.progressbar(length=event.rows, label="re-merging", file=sys.stderr)
                self.bar.render_progress()
            self.bar.update(event.done - self.shown)
            self.shown = event.done
            return
        self.lines(event)
