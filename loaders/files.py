"""Writing a file the user keeps (``resolutions.yaml``) whole or not at all.

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
import os
import stat
import tempfile
from pathlib import Path


def write_whole(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` (UTF-8) atomically.

    The text goes to a temporary file in the same folder, is flushed to disk (fsync), and
    only then renamed over ``path`` (``os.replace``, atomic on one file system). A failure on
    the way (a full disk, a file-size limit, an interrupt) leaves the old file exactly as it
    was and removes the temporary file. The file keeps its permissions (a new one: 0644).
    """
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
