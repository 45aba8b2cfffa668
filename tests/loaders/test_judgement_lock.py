"""Judgements from several processes at once: each reads, changes and writes ``resolutions.yaml``
under a lock, so no decision is lost; a resolutions file that is a link is written through."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

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


# A process recording a decision: it holds the lock, has written the decision and has not merged
# the graph again yet; it lets go when the test closes its stdin.
RECORDING = """
    import sys
    from pathlib import Path
    from loaders.files import locked
    from loaders.resolve import Judgement, write_judgements

    file = Path(sys.argv[1]) / "resolutions.yaml"
    with locked(file):
        write_judgements(file, [Judgement("ORG:xiaomi", "ORG:huawei", "different", "two firms", "t")])
        print("held", flush=True)
        sys.stdin.read()
"""


def _waiting_for_a_lock(pid: int) -> bool:
    """Whether process ``pid`` is blocked waiting for a file lock (``/proc/locks`` marks a waiter ``->``)."""
    with open("/proc/locks", encoding="ascii") as locks:
        return any("->" in line and f" {pid} " in line for line in locks)


@pytest.mark.timeout(300)  # a command that never waits would leave the test looking for its waiter
@pytest.mark.parametrize("as_json", [False, True])
def test_a_command_waits_for_a_decision_being_recorded_and_keeps_its_json_clean(
    template: Path, tmp_path: Path, as_json: bool
) -> None:
    """Opening the workspace while another process records a decision waits for it (the graph is
    merged with the decision once, not by both at once); the note saying so is on stderr for a
    person and never under --json, whose stdout stays one JSON document."""
    from loaders.files import recording_decision, waiting_sentence

    folder = tmp_path / "ws"
    shutil.copytree(template, folder)
    pipe = subprocess.PIPE
    recording = [sys.executable, "-c", textwrap.dedent(RECORDING), str(folder)]
    holder = subprocess.Popen(recording, cwd=ROOT, stdin=pipe, stdout=pipe, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        env = dict(os.environ, ORDERGRAPH_HOME=str(folder))
        args = ["show", "ORG:xiaomi", *(["--json"] if as_json else [])]
        run = [sys.executable, "-m", "ordergraph", *args]
        command = subprocess.Popen(run, cwd=ROOT, env=env, stdout=pipe, stderr=pipe, text=True)
        while not _waiting_for_a_lock(command.pid):
            assert command.poll() is None, "the command did not wait for the decision being recorded"
            time.sleep(0.05)
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=60)
    out, err = command.communicate(timeout=240)
    assert command.returncode == 0, err
    if as_json:
        assert err == "" and json.loads(out)["id"] == "ORG:xiaomi"
    else:
        file = folder / "resolutions.yaml"
        assert err == f"note: {waiting_sentence(file, recording_decision(file))}\n"
        assert out.startswith("Xiaomi Corporation")
    workspace = Workspace(folder)
    assert frozenset({"ORG:xiaomi", "ORG:huawei"}) in {j.pair for j in workspace.judgements()}
    workspace.close()
