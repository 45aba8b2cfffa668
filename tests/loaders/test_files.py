"""A file the user keeps is written whole or not at all: a failure mid-write leaves the old one."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from loaders.files import write_whole

ROOT = Path(__file__).resolve().parents[2]


def _with_file_size_limit(limit: int, script: str) -> subprocess.CompletedProcess[str]:
    """Run ``script`` in a Python whose files may not grow past ``limit`` bytes (the kernel refuses
    the write with EFBIG part-way, as a full disk does), set just before ``script`` runs."""
    limits = f"({limit}, resource.RLIM_INFINITY)"
    prelude = f"import resource\nresource.setrlimit(resource.RLIMIT_FSIZE, {limits})\n"
    return subprocess.run(
        [sys.executable, "-c", prelude + textwrap.dedent(script)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_write_whole_replaces_the_file_and_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "resolutions.yaml"
    target.write_text("old\n")
    target.chmod(0o640)
    write_whole(target, "new\n")
    assert target.read_text() == "new\n"
    assert target.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["resolutions.yaml"]


def test_a_failure_mid_write_leaves_the_old_file_intact(tmp_path: Path) -> None:
    target = tmp_path / "resolutions.yaml"
    old = "judgements: []\n"
    target.write_text(old)
    big = "x" * 10_000
    done = _with_file_size_limit(
        4096,
        f"""
        from pathlib import Path
        from loaders.files import write_whole
        write_whole(Path({str(target)!r}), {big!r})
        """,
    )
    assert done.returncode != 0 and "File too large" in done.stderr, done.stderr
    assert target.read_text() == old
    assert [p.name for p in tmp_path.iterdir()] == ["resolutions.yaml"]  # the temporary file is gone


def test_a_judgement_that_fails_mid_write_leaves_the_resolutions_file_as_it_was(tmp_path: Path) -> None:
    from loaders.resolve import Judgement, read_judgements, write_judgements

    target = tmp_path / "resolutions.yaml"
    write_judgements(target, [Judgement("ORG:a", "ORG:b", "same", "one firm", "t", "2026-01-01")])
    before = target.read_bytes()
    done = _with_file_size_limit(
        len(before) + 16,
        f"""
        from pathlib import Path
        from loaders.resolve import Judgement, read_judgements, write_judgements
        target = Path({str(target)!r})
        more = [Judgement(f"ORG:c{{i}}", "ORG:d", "different", "another firm " * 20, "t") for i in range(50)]
        write_judgements(target, [*read_judgements(target), *more])
        """,
    )
    assert done.returncode != 0 and "File too large" in done.stderr, done.stderr
    assert target.read_bytes() == before
    assert [j.pair for j in read_judgements(target)] == [frozenset({"ORG:a", "ORG:b"})]


def test_write_whole_writes_through_a_link_to_its_target(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    target = shared / "resolutions.yaml"
    target.write_text("old\n")
    target.chmod(0o640)
    link = tmp_path / "ws" / "resolutions.yaml"
    link.parent.mkdir()
    link.symlink_to(target)
    write_whole(link, "new\n")
    assert link.is_symlink() and link.resolve() == target  # the link stays a link …
    assert target.read_text() == "new\n" and target.stat().st_mode & 0o777 == 0o640  # … its target changed
    assert [p.name for p in shared.iterdir()] == ["resolutions.yaml"]  # no temporary file left
    assert [p.name for p in link.parent.iterdir()] == ["resolutions.yaml"]
    # A link whose target is not there yet makes it, and stays a link.
    dangling = tmp_path / "ws" / "other.yaml"
    dangling.symlink_to(shared / "other.yaml")
    write_whole(dangling, "made\n")
    assert dangling.is_symlink() and (shared / "other.yaml").read_text() == "made\n"


def test_a_link_into_a_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    from graph.errors import StoreUnavailable
    from loaders.files import locked

    link = tmp_path / "resolutions.yaml"
    link.symlink_to(tmp_path / "unmounted-share" / "resolutions.yaml")
    with (
        pytest.raises(StoreUnavailable, match=r"unmounted-share.*create that folder") as raised,
        locked(link),
    ):
        pass
    assert str(link) in str(raised.value)


@pytest.mark.timeout(120)  # a taker that never says it waits would block on the holder
def test_a_held_lock_says_it_waits_for_the_other_judgement(tmp_path: Path) -> None:
    from loaders.files import recording_decision, waiting_sentence

    target = tmp_path / "resolutions.yaml"
    hold = textwrap.dedent(
        f"""
        import sys
        from pathlib import Path
        from loaders.files import locked
        with locked(Path({str(target)!r})):
            print("held", flush=True)
            sys.stdin.read()  # until the test closes it
        """
    )
    take = textwrap.dedent(
        f"""
        from pathlib import Path
        from loaders.files import locked
        with locked(Path({str(target)!r})):
            print("taken", flush=True)
        """
    )
    run = [sys.executable, "-c"]
    pipe = subprocess.PIPE
    holder = subprocess.Popen([*run, hold], cwd=ROOT, stdin=pipe, stdout=pipe, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        taker = subprocess.Popen([*run, take], cwd=ROOT, stdout=pipe, stderr=pipe, text=True)
        assert taker.stderr is not None
        said = taker.stderr.readline()  # said before it blocks: the holder still holds
        assert said == f"note: {waiting_sentence(target, recording_decision(target))}\n"
        assert taker.poll() is None
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=60)
    out, _ = taker.communicate(timeout=60)
    assert out == "taken\n" and taker.returncode == 0


def test_a_waiter_is_told_what_the_holder_says_it_does_and_the_note_goes_with_the_lock(
    tmp_path: Path,
) -> None:
    """The holder of the lock says what it does (merging every dataset again, not only recording a
    decision) in a note beside the file, which a process waiting for the lock reads; the note is
    gone once the lock is let go, and a holder that says nothing makes the waiter say only that."""
    import threading

    from loaders.files import holder_note, locked, waiting_sentence

    target = tmp_path / "resolutions.yaml"
    doing = "merging every dataset of ws again (the curated data changed)"
    told: list[str] = []
    held, release = threading.Event(), threading.Event()

    in_folder: list[str] = []

    def hold() -> None:
        with locked(target, doing=doing):
            in_folder.extend(p.name for p in tmp_path.iterdir())
            held.set()
            assert release.wait(60)

    holder = threading.Thread(target=hold)
    holder.start()
    assert held.wait(60)

    def waiting(sentence: str) -> None:
        told.append(sentence)
        release.set()

    with locked(target, waiting):
        pass
    holder.join(60)
    assert told == [waiting_sentence(target, doing)]
    assert "recording a decision" not in told[0]
    assert in_folder == []  # the note is kept outside the user's folder, even while held
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # the note went with the lock
    assert not holder_note(target).exists()
    assert waiting_sentence(target) == f"waiting for another ordergraph process to let go of {target}"


def test_a_note_left_by_a_holder_that_is_gone_is_not_read_as_what_the_holder_does(tmp_path: Path) -> None:
    """A holder killed outright (SIGKILL) leaves its note behind; the next holder, if it has not
    said what it does yet, is not described by the dead one's phrase: the note names its process,
    and one whose process is gone says nothing."""
    import fcntl
    import os
    import subprocess
    import sys
    import threading

    from loaders.files import holder_note, locked, waiting_sentence

    target = tmp_path / "resolutions.yaml"
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait(timeout=60)
    note = holder_note(target)
    note.parent.mkdir(parents=True, exist_ok=True)
    note.write_text(f"{gone.pid}\nmerging every dataset of ws again (a killed holder)", encoding="utf-8")
    folder = os.open(tmp_path, os.O_RDONLY)
    fcntl.flock(folder, fcntl.LOCK_EX)  # a holder that has not said what it does
    told: list[str] = []

    def waiting(sentence: str) -> None:
        told.append(sentence)
        threading.Timer(0.1, os.close, (folder,)).start()  # it lets go

    with locked(target, waiting):
        pass
    assert told == [waiting_sentence(target)]
