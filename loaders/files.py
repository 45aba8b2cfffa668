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
import hashlib
import os
import stat
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from graph.errors import StoreUnavailable


def real_path(path: Path) -> Path:
    """The file ``path`` names, through any symbolic links (a link to a file kept elsewhere, a
    shared folder or repository, names that file; a dangling link names the file it would make)."""
    return Path(os.path.realpath(path))


@contextlib.contextmanager
def locked(
    path: Path, waiting: Callable[[str], None] | None = None, doing: str | None = None
) -> Iterator[None]:
    """Hold the right to read, change and write ``path`` back: one process at a time.

    An exclusive ``flock`` on the folder holding the real file (through links: two workspaces
    linking one shared file take one lock). Not on the file itself: each write replaces it by a
    rename, and a lock on the old file would not hold the new one; not on a lock file beside it,
    which would be left in the user's folder. Another holder is waited for, after ``waiting`` is
    told so (by default a note on stderr), in a sentence saying what that holder does; the lock goes
    with the process (closed, killed), so none is ever left stale. A folder that is missing or
    cannot be locked raises StoreUnavailable.

    ``doing`` is what this holder does while it holds the lock, as a phrase (by default
    :func:`recording_decision`): kept, while held, in a note outside the user's folder
    (:func:`holder_note`, removed as the lock is let go), with this process's id, where a process
    waiting for the lock reads it (a note whose process is gone, killed outright, says nothing).
    """
    folder_path = real_path(path).parent
    try:
        folder = os.open(folder_path, os.O_RDONLY)
    except OSError as exc:
        linked = f" (it links to {real_path(path)})" if path.is_symlink() else ""
        raise StoreUnavailable(
            f"{path}{linked}: cannot open its folder {folder_path} ({exc.strerror}): "
            "create that folder, or make the link point to a file in one that exists"
        ) from None
    try:
        _lock(folder, path, waiting or note_on_stderr)
        note = holder_note(path)
        _say(note, doing or recording_decision(path))
        try:
            yield
        finally:
            with contextlib.suppress(OSError):
                note.unlink()
    finally:
        os.close(folder)  # releases the lock


def _lock(folder: int, path: Path, waiting: Callable[[str], None]) -> None:
    try:
        try:
            fcntl.flock(folder, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            waiting(waiting_sentence(path, _holder_doing(path)))
            fcntl.flock(folder, fcntl.LOCK_EX)
    except OSError as exc:
        # On NFS, Linux emulates flock with byte-range locks, which a folder (opened read-only)
        # cannot take: EBADF.
        raise StoreUnavailable(
            f"{path}: cannot lock its folder {real_path(path).parent} ({exc.strerror}), so two "
            "decisions could overwrite each other; this file system (NFS?) cannot lock folders: "
            "keep resolutions.yaml on a local disk (a shared repository cloned by each, not a "
            "network folder)"
        ) from None


def holder_note(path: Path) -> Path:
    """Where the holder of the lock on ``path`` says what it does: a file in this user's folder of
    the system's temporary folder, named after the real file (through links, as the lock), never
    in the user's folder, where a holder killed outright would leave it (in a shared repository's
    ``git status``).

    >>> note = holder_note(Path("/ws/resolutions.yaml"))
    >>> note.name.startswith("resolutions.yaml."), Path("/ws") in note.parents
    (True, False)
    """
    real = real_path(path)
    key = hashlib.sha256(str(real).encode("utf-8")).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"ordergraph-{os.getuid()}" / f"{real.name}.{key}.holder"


def _say(note: Path, doing: str) -> None:
    """The holder's process id and phrase written to its note, whole (a waiter never reads half of
    it). A note that cannot be written is no reason to fail: a waiter then says less."""
    temporary = note.with_name(f"{note.name}.{os.getpid()}.tmp")
    try:
        note.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        temporary.write_text(f"{os.getpid()}\n{doing}", encoding="utf-8")
        os.replace(temporary, note)
    except OSError:
        with contextlib.suppress(OSError):
            temporary.unlink()


def _holder_doing(path: Path) -> str | None:
    """What the holder of the lock on ``path`` said it does; None when it has not said (yet), or
    the note is one a holder killed outright left (its process is gone)."""
    try:
        pid, _, said = holder_note(path).read_text(encoding="utf-8").partition("\n")
    except (OSError, UnicodeDecodeError):
        return None
    if not pid.isdigit() or int(pid) == 0 or not process_alive(int(pid)):
        return None
    return said.strip() or None


def process_alive(pid: int) -> bool:
    """Whether a process ``pid`` is there (another user's counts; a zombie too)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True


def recording_decision(path: Path) -> str:
    """What a process judging holds the lock on ``path`` for.

    >>> recording_decision(Path("ws/resolutions.yaml"))
    'recording a decision in ws/resolutions.yaml'
    """
    return f"recording a decision in {path}"


def waiting_sentence(path: Path, doing: str | None = None) -> str:
    """What a process waiting for the lock on ``path`` tells its user (every face says it so): what
    the holder does (``doing``, from its note), or, when it has not said, that it holds the lock.

    >>> waiting_sentence(Path("ws/resolutions.yaml"), recording_decision(Path("ws/resolutions.yaml")))
    'waiting for another ordergraph process to finish recording a decision in ws/resolutions.yaml'
    >>> waiting_sentence(Path("ws/resolutions.yaml"))
    'waiting for another ordergraph process to let go of ws/resolutions.yaml'
    """
    if doing:
        return f"waiting for another ordergraph process to finish {doing}"
    return f"waiting for another ordergraph process to let go of {path}"


def note_on_stderr(message: str) -> None:
    """What a workspace tells its user when no face said how (``note: …`` on stderr)."""
    print(f"note: {message}", file=sys.stderr, flush=True)


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
