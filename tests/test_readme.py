"""The README and every command's --help show commands that work and output that is true."""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from pathlib import Path

import pytest

import ordergraph
from tests.conftest import CliResult

Cli = Callable[..., CliResult]
ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"^```\n(.*?)^```", README, flags=re.S | re.M)
PORTFOLIO = "ticker,shares\n0728.HK,100\nCHL,5\n1810.HK,10\nZZZZ.HK,1\n"


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh folder to run examples in, holding the portfolio.csv they name."""
    (tmp_path / "portfolio.csv").write_text(PORTFOLIO)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _argv(line: str) -> list[str]:
    return shlex.split(line, comments=True)[1:]


README_COMMANDS = [ln for block in BLOCKS for ln in block.splitlines() if ln.startswith("ordergraph ")]


@pytest.mark.parametrize("line", README_COMMANDS)
def test_every_readme_command_runs(cli: Cli, workdir: Path, line: str) -> None:
    result = cli(*_argv(line))
    assert result.code == 0, (line, result.err)
    assert result.out.strip()


def _transcripts() -> list[tuple[str, list[str]]]:
    found = []
    for block in BLOCKS:
        for chunk in re.split(r"^(?=\$ ordergraph )", block, flags=re.M):
            if chunk.startswith("$ ordergraph "):
                command, *shown = chunk.rstrip("\n").splitlines()
                found.append((command[2:], [ln for ln in shown if ln.strip()]))
    return found


def _matches(shown: str, real: str) -> bool:
    """A README line matches a real one when its parts between … appear in it, in order."""
    pattern = ".*?".join(re.escape(part) for part in shown.split("…"))
    return re.fullmatch(pattern, real) is not None


@pytest.mark.parametrize(("command", "shown"), _transcripts(), ids=lambda v: v if isinstance(v, str) else "")
def test_every_readme_transcript_is_what_the_command_prints(
    cli: Cli, workdir: Path, command: str, shown: list[str]
) -> None:
    result = cli(*_argv(command))
    real = [ln for ln in (result.out + result.err).splitlines() if ln.strip()]
    at = 0
    for line in shown:
        while at < len(real) and not _matches(line, real[at]):
            at += 1
        assert at < len(real), f"README line not printed (in this order) by `{command}`:\n{line}"
        at += 1


def test_readme_has_transcripts_and_commands() -> None:
    assert len(_transcripts()) >= 4 and len(README_COMMANDS) >= 15


# Their examples name source files a user has (an FtM export, OFAC's CSV set); the workspace
# tests run these commands end to end on real-format fixtures.
WORKSPACE_COMMANDS = frozenset({"load", "unload", "resolve", "sources"})
# Theirs start, stop and query a Neo4j server; tests/test_cli_neo4j.py runs them against real ones.
NEO4J_COMMANDS = frozenset({"neo4j", "cypher"})


def _help_examples() -> list[tuple[str, str]]:
    from click.testing import CliRunner

    found = []
    for name in sorted(set(ordergraph.cli.commands) - WORKSPACE_COMMANDS - NEO4J_COMMANDS):
        text = CliRunner().invoke(ordergraph.cli, [name, "--help"]).output
        found += [(name, ln.strip()) for ln in text.splitlines() if ln.strip().startswith("ordergraph ")]
    return found


@pytest.mark.parametrize(("name", "line"), _help_examples())
def test_every_help_example_runs(cli: Cli, workdir: Path, name: str, line: str) -> None:
    result = cli(*_argv(line))
    expected = 2 if "# exits 2" in line else 0
    assert result.code == expected, (line, result.err)
    assert "Traceback" not in result.err


# Every command the docs name, wherever it is written: code blocks of any kind (the workspace and
# Neo4j ones included, which the tests above do not run) and `inline` spans.
DOCS = [ROOT / "README.md", ROOT / "data" / "README.md"]


def _named_commands() -> list[tuple[str, str]]:
    found = []
    for doc in DOCS:
        text = doc.read_text(encoding="utf-8")
        lines = [ln.strip().removeprefix("$ ") for ln in text.splitlines()]
        found += [(doc.name, ln) for ln in lines if ln.startswith("ordergraph ")]
        found += [(doc.name, " ".join(m.split())) for m in re.findall(r"`(ordergraph [^`]*)`", text)]
    return sorted(set(found))


def _unknown_words(line: str) -> list[str]:
    """The subcommands and --options of ``line`` that the CLI's parser does not have."""
    import click

    def options(command: click.Command) -> tuple[set[str], set[str]]:
        every = {opt for param in command.params for opt in param.opts}
        flags = {opt for param in command.params if getattr(param, "is_flag", False) for opt in param.opts}
        return every, every - flags

    command: click.Command = ordergraph.cli
    known, takes_value = options(command)
    words = shlex.split(line, comments=True)[1:]
    unknown, at = [], 0
    while at < len(words):
        word = words[at].split("=")[0]
        if word.startswith("-") and word not in ("-", "--"):
            if word not in known:
                unknown.append(word)
            elif word in takes_value and "=" not in words[at]:
                at += 1  # the option's value
        elif isinstance(command, click.Group):
            if word not in command.commands:
                unknown.append(word)
                break
            command = command.commands[word]
            more, valued = options(command)
            known, takes_value = known | more, takes_value | valued
        at += 1
    return unknown


@pytest.mark.parametrize(("doc", "line"), _named_commands())
def test_every_command_the_docs_name_exists_with_its_options(doc: str, line: str) -> None:
    assert _unknown_words(line) == [], (doc, line)


def test_the_docs_name_the_workspace_and_neo4j_commands() -> None:
    named = {line.split()[1] for _, line in _named_commands()}
    assert named >= WORKSPACE_COMMANDS | NEO4J_COMMANDS


def _named_tests() -> list[tuple[str, str, str]]:
    """``tests/…py::test_x`` in the docs, and ``::test_y`` after it (the same file)."""
    found = []
    for doc in DOCS:
        for cell in re.findall(r"`(tests/[\w/]+\.py)?::(\w+)`|`(tests/[\w/]+\.py)`", doc.read_text("utf-8")):
            found.append((str(doc.relative_to(ROOT)), *cell))
    named, file = [], ""
    for doc, path, test, bare in found:
        file = path or bare or file
        named.append((doc, file, test))
    return named


@pytest.mark.parametrize(("doc", "file", "test"), _named_tests())
def test_every_test_the_docs_name_exists(doc: str, file: str, test: str) -> None:
    source = (ROOT / file).read_text(encoding="utf-8")
    assert not test or re.search(rf"^def {test}\(", source, flags=re.M), (doc, file, test)


def test_data_readme_names_a_test_for_its_rules() -> None:
    assert len({(f, t) for d, f, t in _named_tests() if d == "data/README.md" and t}) >= 30


def _environment_variables_read() -> set[str]:
    """The ORDERGRAPH_* and NEO4J_* variables the product's code reads (not the tests' or bench's)."""
    code = [ROOT / "ordergraph.py", ROOT / "app.py", ROOT / "serve.py"]
    packages = ("cli", "graph", "loaders", "ui", "tools")
    code += [p for package in packages for p in (ROOT / package).rglob("*.py")]
    pattern = re.compile(r"""["'](ORDERGRAPH_[A-Z0-9_]+|NEO4J_(?:URI|USER|PASSWORD))["']""")
    return {name for path in code for name in pattern.findall(path.read_text(encoding="utf-8"))}


def test_the_readme_lists_every_environment_variable_the_code_reads() -> None:
    read = _environment_variables_read()
    assert {"ORDERGRAPH_HOME", "ORDERGRAPH_DATA", "ORDERGRAPH_BACKEND", "NEO4J_URI"} <= read
    table = README[README.index("## Environment variables") :]
    assert [name for name in sorted(read) if f"`{name}`" not in table] == []
