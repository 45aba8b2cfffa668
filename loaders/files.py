"""Writing a file the user keeps (``resolutions.yaml``) whole or not at all, one writer at a time.

>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> write_whole(folder / "a.yaml", "judgements: []\\n")
>>> (folder / "a.yaml").read_text()
'judgements: []\\n'
>>> sorted(p.name for p in folder.iterdir())  # no temporary file left behind
['a.yaml']
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path


def real_path(path: Path) -> Path:
    """The file ``path`` names, through any symbolic links (a link to a file kept elsewhere, a
    shared folder or repository, names that file; a dangling link names the file it would make)."""
    return Path(os.path.realpath(path))


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold the right to read, change and write ``path`` back: one process at a time.

    An exclusive ``flock`` on the folder holding the real file (through links: two workspaces
    linking one shared file take one lock). Not on the file itself: each write replaces it by a
    rename, and a lock on the old file would not hold the new one; not on a lock file beside it,
    which would be left in the user's folder. Another holder is waited for; the lock goes with
    the process (closed, killed), so none is ever left stale.
    """
    folder = os.open(real_path(path).parent, os.O_RDONLY)
    try:
        fcntl.flock(folder, fcntl.LOCK_EX)
        yield
    finally:
        os.close(folder)  # releases the lock


def write_whole(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` (UTF-8) atomically.

    The text goes to a temporary file in the same folder, is flushed to disk (fsync), and
    only then renamed over ``path`` (``os.replace``, atomic on one file system). A failure on
    the way (a full disk, a file-size limit, an interrupt) leaves the old file exactly as it
    was and removes the temporary file. The file keeps its permissions (a new one: 0644). A
    symbolic link is written through: its target gets the text, and the link stays a link.
    """
    path = real_path(path)
    mode = stat.S_IMODE(path.stat().st_mode) if path.exists() else 0o644
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    # The rename itself reaches the disk when the folder is synced (where the system allows it).
    with contextlib.suppress(OSError):
        folder = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)
