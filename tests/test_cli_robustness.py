"""The `ordergraph` command tried as a new user would: pipes, Ctrl-C, odd input, write errors.

Pipes and signals are tried on a real process; the rest in-process through CliRunner.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import signal
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from cli import render
from cli.errors import EXIT_BROKEN_PIPE, EXIT_INTERRUPTED
from graph.store.memory import MemoryStore
from graph.views import AffectsAnswer, EntityView, NodeRef, OrderEffect, SecurityRef
from tests.conftest import CliResult

Cli = Callable[..., CliResult]
ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "fixtures" / "mini"


def _default_sigint() -> None:
    # A test run in the background may inherit an ignored SIGINT; a user's terminal does not.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _ordergraph(*args: str, **kwargs: Any) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "ordergraph", *args],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=_default_sigint, **kwargs,
    )  # fmt: skip


def test_a_closed_pipe_exits_quietly() -> None:
    proc = _ordergraph("tour")
    assert proc.stdout is not None
    proc.stdout.close()  # like `ordergraph tour | head` once head has what it wants
    _, err = proc.communicate(timeout=120)
    assert err == b""
    assert proc.returncode == EXIT_BROKEN_PIPE


def test_ctrl_c_exits_quietly(tmp_path: Path) -> None:
    fifo = tmp_path / "graph.json"
    os.mkfifo(fifo)
    proc = _ordergraph("export", "--format", "json", str(fifo))
    with fifo.open("rb") as reader:
        assert reader.read(1)  # the command is writing: well past start-up
        proc.send_signal(signal.SIGINT)
        reader.read()  # let it close the file it was writing
    _, err = proc.communicate(timeout=60)
    assert err.strip() == b"", err.decode()
    assert proc.returncode == EXIT_INTERRUPTED


def test_deeply_nested_yaml_exits_2_naming_the_file(tmp_path: Path, cli: Cli) -> None:
    (tmp_path / "deep.yaml").write_text("nodes: " + "[" * 5000 + "\n")
    result = cli("--data", str(tmp_path), "stats")
    assert result.code == 2
    where = re.escape(str(tmp_path / "deep.yaml"))
    assert re.search(rf"{where}(:1)?: invalid YAML: exceeded maximum nesting depth", result.err)
    assert "Traceback" not in result.err and "RecursionError" not in result.err


# ---- export ---------------------------------------------------------------------------------


def test_the_readme_export_example_works_on_a_fresh_clone(
    tmp_path: Path, cli: Cli, store: MemoryStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    readme = (ROOT / "README.md").read_text().splitlines()
    line = next(ln for ln in readme if ln.startswith("ordergraph export"))
    argv = shlex.split(line, comments=True)[1:]
    monkeypatch.chdir(tmp_path)  # no out/ folder here yet
    result = cli(*argv)
    assert result.code == 0, result.err
    written = tmp_path / argv[-1]
    assert result.out.strip() == f"wrote {argv[-1]}"
    graph = nx.read_graphml(written)
    assert graph.number_of_nodes() == store.node_count()


def test_export_refuses_to_write_a_file_over_a_folder(tmp_path: Path, cli: Cli) -> None:
    (tmp_path / "keep.txt").write_text("mine")
    result = cli("--data", str(MINI), "export", "--format", "graphml", str(tmp_path))
    assert result.code == 2
    assert f"cannot write {tmp_path}: a folder" in result.err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.txt"]
    as_file = tmp_path / "keep.txt"
    csv = cli("--data", str(MINI), "export", "--format", "csv", str(as_file))
    assert csv.code == 2 and f"cannot write {as_file}: csv writes a folder" in csv.err
    assert as_file.read_text() == "mine"


@pytest.mark.parametrize("where", ["/dev/full", "file/g.json", "file/sub/g.json"])
def test_export_write_errors_name_the_path(tmp_path: Path, cli: Cli, where: str) -> None:
    (tmp_path / "file").write_text("a file, not a folder")
    out = where if where.startswith("/") else str(tmp_path / where)
    result = cli("--data", str(MINI), "export", "--format", "json", out)
    assert result.code == 2
    assert result.err.startswith(f"error: cannot write {out}: ") and "Traceback" not in result.err
    as_json = json.loads(cli("--data", str(MINI), "export", "--format", "json", out, "--json").err)
    assert as_json["error"] == "write_error" and out in as_json["message"]


def test_export_to_an_empty_path_exits_2(cli: Cli) -> None:
    result = cli("--data", str(MINI), "export", "--format", "json", "")
    assert result.code == 2 and "empty path" in result.err


def test_export_creates_a_csv_folder_with_its_parents(tmp_path: Path, cli: Cli) -> None:
    out = tmp_path / "a" / "b"
    result = cli("--data", str(MINI), "export", "--format", "csv", str(out), "--json")
    assert result.code == 0, result.err
    assert result.json()["written"] == [str(out / "nodes.csv"), str(out / "edges.csv")]


# ---- odd input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["search", ""], "empty"),
        (["search", "   "], "empty"),
        (["show", ""], "empty"),
        (["--data", "", "stats"], "empty path"),
        (["stats", "--data", ""], "empty path"),
        (["search", "x" * 100_000], "100,000 characters is too long"),
        (["affects", "x" * 100_000], "100,000 characters is too long"),
        (["path", "ORG:xiaomi", "y" * 5_000], "5,000 characters is too long"),
        (["cite", " "], "empty; give an edge id"),
        (["reaches", ""], "empty; give an executive order"),
        (["screen", ""], "empty path"),
    ],
)
def test_empty_and_huge_input_exit_2_with_a_short_message(cli: Cli, args: list[str], words: str) -> None:
    result = cli(*args)
    assert result.code == 2 and words in result.err
    assert len(result.err) < 500 and result.out == ""


def test_text_output_never_prints_none(cli: Cli, store: MemoryStore) -> None:
    none = re.compile(r"\bNone\b")
    for node in store.nodes():
        for command in ("show", "timeline", "neighbours"):
            result = cli(command, node.id)
            assert result.code == 0 and not none.search(result.out), (command, node.id)
    for security in store.nodes("Security"):
        for day in ("2020-11-20", "2021-01-12", "2021-03-13", "2021-07-01", "2022-03-01"):
            result = cli("affects", security.id, "--as-of", day, "--explain")
            assert result.code == 0 and not none.search(result.out), (security.id, day)
    for order in store.nodes("ExecutiveOrder"):
        for day in ("2021-01-12", "2021-03-13", "2021-09-01"):
            result = cli("reaches", order.id, "--as-of", day)
            assert result.code == 0 and not none.search(result.out), (order.id, day)
    for edge in store.edges():
        result = cli("cite", edge.id)
        assert result.code == 0 and not none.search(result.out), edge.id
    result = cli("changes", "--from", "2018-01-01", "--to", "2025-12-31")
    assert result.code == 0 and not none.search(result.out)


def test_renderers_show_missing_values_without_none() -> None:
    order = OrderEffect(
        id="EO:1", number=None, title=None, restriction="securities", status="pending",
        applies_from=None, basis="listed", paths=[], sources=[],
    )  # fmt: skip
    security = SecurityRef(id="SEC:X:1", name="X", exchange=None, code=None)
    answer = AffectsAnswer(security=security, as_of="2021-01-01", exchange_status=None, orders=[order],
                           explanations=[])  # fmt: skip
    text = render.affects(answer, explain=True)
    assert "EO:1" in text and "None" not in text
    view = EntityView(id="ORG:x", kind="Company", name="X", aliases=[], properties={"lei": None, "tags": []},
                      sources=[], edges=[])  # fmt: skip
    assert "None" not in render.show(view, {})
    assert NodeRef(id="ORG:x", kind="Company", name="X").type == "node"


def test_affects_without_as_of_says_it_answered_for_today(cli: Cli) -> None:
    today = date.today().isoformat()
    text = cli("affects", "1810.HK")
    assert text.code == 0 and text.out.splitlines()[0].endswith(f"as of {today} (today: no --as-of given)")
    assert cli("affects", "1810.HK", "--json").json()["as_of"] == today
    dated = cli("affects", "1810.HK", "--as-of", "2021-02-01")
    assert "(today" not in dated.out


@pytest.mark.parametrize(
    "bad", ["2021", "2021-02", "2021-2-1", "20210201", "today", "2021-02-29", "2021-13-01"]
)
def test_as_of_errors_name_only_the_form_it_accepts(cli: Cli, bad: str) -> None:
    result = cli("affects", "1810.HK", "--as-of", bad)
    assert result.code == 2 and f"bad day {bad!r}" in result.err
    assert "use YYYY-MM-DD" in result.err and "YYYY-MM or" not in result.err


@pytest.mark.parametrize("good", ["2020-02-29", "2021-02-01", " 2021-02-01 "])
def test_as_of_accepts_every_real_day_in_that_form(cli: Cli, good: str) -> None:
    result = cli("affects", "1810.HK", "--as-of", good, "--json")
    assert result.code == 0 and result.json()["as_of"] == good.strip()


# ---- JSON -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "id_", "exact"),
    [("1810.HK", "SEC:HKEX:1810", True), ("Xiaomi", "ORG:xiaomi", True), ("Xiomi", "ORG:xiaomi", False)],
)
def test_affects_json_says_what_the_input_resolved_to(cli: Cli, typed: str, id_: str, exact: bool) -> None:
    result = cli("affects", typed, "--as-of", "2021-02-01", "--json")
    assert result.code == 0, result.err
    data = result.json()
    resolved = data["resolved"]
    assert set(resolved) == {"input", "id", "score", "exact", "others"}
    assert (resolved["input"], resolved["id"], resolved["exact"]) == (typed, id_, exact)
    assert resolved["others"] == []  # nothing else bears these names
    assert (resolved["score"] == 100.0) == exact and 70 <= resolved["score"] <= 100
    assert data["security"]["id"] == "SEC:HKEX:1810"


def test_under_json_stderr_holds_only_the_error(cli: Cli) -> None:
    loose = cli("affects", "Chna Unicom", "--as-of", "2021-02-01", "--json")
    assert loose.code == 2 and json.loads(loose.err)["error"] == "company_not_security"
    answered = cli("affects", "Xiomi", "--as-of", "2021-02-01", "--json")
    assert answered.code == 0 and answered.err == "" and answered.json()["resolved"]["exact"] is False
    assert "note: 'Xiomi' read as ORG:xiaomi" in cli("affects", "Xiomi", "--as-of", "2021-02-01").err


def test_path_elements_say_whether_they_are_nodes_or_edges(cli: Cli) -> None:
    paths = cli("path", "ORG:tencent", "EO:14034", "--json").json()["paths"]
    assert paths
    for found in paths:
        assert [step["type"] for step in found] == ["node", "edge"] * (len(found) // 2) + ["node"]
    order = cli("affects", "1810.HK", "--as-of", "2021-02-01", "--json").json()["orders"][0]
    assert {step["type"] for step in order["paths"][0]} == {"node", "edge"}


# ---- start-up -------------------------------------------------------------------------------


def _modules_after(*argv: str) -> set[str]:
    """The modules a fresh interpreter holds after running ``ordergraph ARGV``."""
    code = (
        "import sys, ordergraph\n"
        f"ordergraph.main({list(argv)!r})\n"
        "print(' '.join(sorted(sys.modules)), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    return set(done.stderr.split())


def test_help_imports_nothing_of_the_graph() -> None:
    loaded = _modules_after("--help")
    assert not loaded & {"pydantic", "networkx", "yaml", "rapidfuzz", "graph.model", "loaders.curated"}


def test_affects_imports_no_exporter() -> None:
    loaded = _modules_after("affects", "1810.HK", "--as-of", "2021-02-01")
    assert "graph.affects" in loaded
    assert not loaded & {"graph.export", "graph.cypher"}
