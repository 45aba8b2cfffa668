"""Judgements from several processes at once: each reads, changes and writes ``resolutions.yaml``
under a lock, so no decision is lost; a resolutions file that is a link is written through."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

from loaders.resolve import Judgement, read_judgements
from loaders.workspace import Workspace

ROOT = Path(__file__).resolve().parents[2]

# One process's judgement. Its first read of the workspace's resolutions file takes 2 s more, as a
# slow disk would: a process not waiting for the other's lock reads the file meanwhile, and the
# last one to write drops the other's decision. Both start judging together (a file each says
# it is ready; each waits for both).
JUDGE = """
    import sys, time
    from pathlib import Path
    import loaders.resolve as resolve
    from loaders.resolve import Judgement
    from loaders.workspace import Workspace

    folder, me, a, b = Path(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
    read, slowed = resolve.read_judgements, []

    def slow_read(path):
        found = read(path)
        if Path(path) == folder / "resolutions.yaml" and not slowed:
            slowed.append(path)
            time.sleep(2)
        return found

    resolve.read_judgements = slow_read
    workspace = Workspace(folder)
    workspace.store()
    (folder.parent / f"ready-{me}").touch()
    while len(list(folder.parent.glob("ready-*"))) < 2:
        time.sleep(0.01)
    workspace.judge(Judgement(a, b, "different", f"decided by {me}", me))
    workspace.close()
"""


def test_two_processes_judging_at_once_keep_both_decisions(template: Path, tmp_path: Path) -> None:
    folder = tmp_path / "ws"
    shutil.copytree(template, folder)
    pairs = {"one": ("ORG:xiaomi", "ORG:huawei"), "two": ("ORG:smic", "ORG:hikvision")}
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", textwrap.dedent(JUDGE), str(folder), me, a, b],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for me, (a, b) in pairs.items()
    ]
    for process in processes:
        _, err = process.communicate(timeout=600)
        assert process.returncode == 0, err
    decided = {j.decided_by: j for j in read_judgements(folder / "resolutions.yaml")}
    assert set(decided) == set(pairs)
    for me, pair in pairs.items():
        assert decided[me].pair == frozenset(pair) and decided[me].reason == f"decided by {me}"
    # The graph was merged again with both: each decision is the workspace's.
    workspace = Workspace(folder)
    assert {j.pair for j in workspace.judgements()} >= {frozenset(p) for p in pairs.values()}
    workspace.close()


def test_a_resolutions_file_that_is_a_link_is_written_through(template: Path, tmp_path: Path) -> None:
    """A team keeps one resolutions file (a shared folder, a repository) and links it into each
    workspace: a judgement changes that file, and the link stays a link."""
    folder = tmp_path / "ws"
    shutil.copytree(template, folder)
    shared = tmp_path / "team" / "resolutions.yaml"
    shared.parent.mkdir()
    shared.write_text("judgements: []\n", encoding="utf-8")
    (folder / "resolutions.yaml").symlink_to(shared)
    workspace = Workspace(folder)
    workspace.judge(Judgement("ORG:xiaomi", "ORG:huawei", "different", "two firms", "t"))
    workspace.close()
    assert (folder / "resolutions.yaml").is_symlink()
    assert [j.pair for j in read_judgements(shared)] == [frozenset({"ORG:xiaomi", "ORG:huawei"})]
    assert sorted(p.name for p in shared.parent.iterdir()) == ["resolutions.yaml"]  # no temporary file
