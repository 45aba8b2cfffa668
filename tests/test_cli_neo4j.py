"""`ordergraph neo4j …` and `ordergraph cypher`, against real servers."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from neo4j import Driver, GraphDatabase

from graph.store.memory import MemoryStore
from loaders.workspace import Workspace
from tests.conftest import CliResult
from tools.neo4j import server, watchdog

pytestmark = pytest.mark.neo4j
Cli = Callable[..., CliResult]


@pytest.fixture
def on_test_server(neo4j_uri: str, neo4j_empty: Driver, monkeypatch: pytest.MonkeyPatch) -> Driver:
    """Point the CLI at the test server (empty) through NEO4J_URI, as a user points it at theirs."""
    monkeypatch.setenv("NEO4J_URI", neo4j_uri)
    monkeypatch.delenv("NEO4J_PASSWORD", raising=False)
    return neo4j_empty


def test_sync_then_status_report_the_graph(cli: Cli, on_test_server: Driver) -> None:
    first = cli("neo4j", "sync", "--json")
    assert first.code == 0, first.err
    report = first.json()
    assert report["complete"] and report["missing_endpoints"] == []
    again = cli("neo4j", "sync", "--json").json()
    assert again["nodes_written"] == 0 and again["nodes_unchanged"] == report["nodes_written"]
    assert again["edges_unchanged"] == report["edges_written"] and again["nodes_deleted"] == 0
    assert again["generation"] == report["generation"] + 1
    status = cli("neo4j", "status", "--json")
    assert status.code == 0, status.err
    data = status.json()
    assert sum(data["nodes"].values()) == report["nodes_written"]
    assert sum(data["edges"].values()) == report["edges_written"]
    assert data["last_sync"]["status"] == "complete" and data["origin"] == "NEO4J_URI"
    # The server's version, as it says it (dbms.components()); its Bolt greeting names the same one.
    assert f"Neo4j/{data['version']}" == on_test_server.get_server_info().agent
    assert data["edition"] in ("community", "enterprise")
    text = cli("neo4j", "status").out
    assert text.startswith(f"Neo4j {data['version']} {data['edition']} at {data['bolt']} (NEO4J_URI)\n")
    assert f"nodes: {report['nodes_written']}" in text
    finished = rf"last sync: #{again['generation']} complete, finished \d{{4}}-\d\d-\d\d \d\d:\d\d:\d\d UTC$"
    assert re.search(finished, text, re.M), text
    # A sync whose server was killed under it could not record its end: status says what to do.
    on_test_server.execute_query("MATCH (s:OrdergraphSync) SET s.status = 'running', s.finished = null")
    text = cli("neo4j", "status").out
    assert "has not finished: it is running, or it stopped with its server" in text
    assert "(run `ordergraph neo4j sync` again)" in text
    on_test_server.execute_query("MATCH (s:OrdergraphSync) SET s.status = 'failed', s.finished = datetime()")
    text = cli("neo4j", "status").out
    failed = r"failed, at \d{4}-.* UTC: run `ordergraph neo4j sync` again \(it converges\)"
    assert re.search(failed, text), text


def test_cypher_prints_a_table_and_json(cli: Cli, on_test_server: Driver) -> None:
    assert cli("neo4j", "sync").code == 0
    query = "MATCH (o:ExecutiveOrder {number: '14034'})-[r:REVOKES]->(x) RETURN x.number AS n ORDER BY n"
    table = cli("cypher", query)
    assert table.code == 0, table.err
    assert table.out.splitlines()[0].strip() == "n"
    assert "13942" in table.out and "(3 rows)" in table.out
    data = cli("cypher", query, "--json").json()
    assert data == {
        "columns": ["n"],
        "rows": [{"n": "13942"}, {"n": "13943"}, {"n": "13971"}],
        "truncated": False,
        "warnings": [],
    }
    cut = cli("cypher", "MATCH (n:Entity) RETURN n.id", "--limit", "2", "--json").json()
    assert len(cut["rows"]) == 2 and cut["truncated"]


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("CREATE (:Company {id: 'ORG:evil'})", "writes to the graph with CREATE:"),
        ("MATCH (n) DETACH DELETE n", "with DETACH DELETE:"),
        ("MATCH (n) DELETE n", "with DELETE:"),
        ("MATCH (n:Company) SET n.name = 'x' RETURN n", "with SET:"),
        ("MATCH (n:Company) REMOVE n.name", "with REMOVE:"),
        ("MERGE (n:Entity {id: 'x'}) ON CREATE SET n.name = 'DELETE' RETURN n", "with MERGE, SET:"),
        ("FOREACH (x IN [1] | CREATE (:Evil))", "with FOREACH, CREATE:"),
        (
            "MATCH (n) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF 10 ROWS",
            "with DETACH DELETE, CALL { … } IN TRANSACTIONS:",
        ),
        ("CREATE INDEX evil FOR (n:Company) ON (n.x)", "changes the schema"),
        ("DROP CONSTRAINT entity_id", "changes the schema"),
        ("LOAD CSV FROM 'file:///etc/passwd' AS line RETURN line", "does not run LOAD CSV"),
        ("CALL db.createLabel('Evil')", "db.createLabel is a procedure that writes"),
        ("CALL dbms.killConnections(['bolt-1'])", "dbms.killConnections is not a read-only procedure"),
        ("CREATE USER evil SET PASSWORD 'secret'", "administration command"),
        ("TERMINATE TRANSACTIONS 'neo4j-transaction-1'", "TERMINATE TRANSACTIONS stops others' queries"),
    ],
)
def test_cypher_refuses_anything_that_writes_naming_it(
    cli: Cli, on_test_server: Driver, query: str, named: str
) -> None:
    assert cli("neo4j", "sync").code == 0
    before = on_test_server.execute_query("MATCH (n) RETURN count(n) AS n").records[0]["n"]
    result = cli("cypher", query)
    assert result.code == 2
    assert result.err.startswith("error: refused: this console ") and named in result.err, result.err
    after = on_test_server.execute_query("MATCH (n) RETURN count(n) AS n").records[0]["n"]
    assert after == before
    labels = on_test_server.execute_query("CALL db.labels() YIELD label RETURN collect(label) AS l").records[
        0
    ]["l"]
    assert "Evil" not in labels


def test_cypher_takes_parameters_as_text_or_json(cli: Cli, on_test_server: Driver) -> None:
    assert cli("neo4j", "sync").code == 0
    query = "MATCH (s:Security {ticker: $t})<-[:ISSUES]-(c) RETURN c.id AS id LIMIT $n"
    found = cli("cypher", query, "-p", "t", "NYSE:CHL", "--param-json", "n", "1", "--json")
    assert found.code == 0, found.err
    assert found.json()["rows"] == [{"id": "ORG:china-mobile-ltd"}]
    # A code is text: "1810" stays a string, as the graph holds it.
    code = cli("cypher", "MATCH (s:Security {code: $c}) RETURN s.id AS id", "-p", "c", "1810", "--json")
    assert code.json()["rows"] == [{"id": "SEC:HKEX:1810"}]
    missing = cli("cypher", query, "-p", "t", "NYSE:CHL")
    assert (
        missing.code == 2
        and "Expected parameter(s): n" in missing.err
        and "--param NAME VALUE" in missing.err
    )
    bad = cli("cypher", query, "--param-json", "n", "{one")
    assert bad.code == 2 and "is not JSON" in bad.err


def test_cypher_passes_on_the_servers_warnings(cli: Cli, on_test_server: Driver) -> None:
    """A misspelt label or property gives no rows: the server's warning says why, at the column typed."""
    assert cli("neo4j", "sync").code == 0
    query = "MATCH (n:Compnay) RETURN n.nme"
    text = cli("cypher", query)
    assert text.code == 0 and "(0 rows)" in text.out
    assert "warning: line 1, column 10: The label `Compnay` does not exist" in text.err
    assert "warning: line 1, column 28: The property `nme` does not exist" in text.err
    data = cli("cypher", query, "--json")
    assert (data.err, len(data.json()["warnings"])) == ("", 2)
    assert cli("cypher", "MATCH (n:Company) RETURN count(n)", "--json").json()["warnings"] == []


def test_cypher_prints_nodes_relationships_paths_and_durations_readably(
    cli: Cli, on_test_server: Driver
) -> None:
    assert cli("neo4j", "sync").code == 0
    query = (
        "MATCH p = (c:Company {id: 'ORG:xiaomi'})-[r:LISTED_ON]->(:SanctionsList {id: 'LIST:DOD-1237'}) "
        "RETURN c, r, p, duration('P60D') AS delay"
    )
    out = cli("cypher", query).out.splitlines()
    assert out[2].split(" | ")[:2] == [
        '(:Company ORG:xiaomi "Xiaomi Corporation")',
        "(ORG:xiaomi)-[:LISTED_ON 2021-01-14]->(LIST:DOD-1237)",
    ]
    assert out[2].rstrip().endswith("| P60D")
    row = cli("cypher", query, "--json").json()["rows"][0]
    assert row["delay"] == "P60D" and row["c"]["labels"] == ["Company", "Entity"]


def test_cypher_stops_at_its_timeout(cli: Cli, on_test_server: Driver) -> None:
    slow = "UNWIND range(1, 1000000000) AS x WITH x WHERE x % 7 = 99 RETURN count(*)"
    result = cli("cypher", slow, "--timeout", "1")
    assert result.code == 2 and "took longer than 1 s" in result.err


def test_a_console_query_is_never_retried_past_its_time_limit(
    neo4j_empty: Driver, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The app's driver retries managed transactions for up to 10 s: a console query stopped at its
    time limit must not be run again. It runs in explicit transactions, one for the plan and one for
    the rows, which the driver never retries; no managed (retried) transaction is opened."""
    import neo4j

    from graph.neo4j_console import CypherFailed, run_read_only

    begun: list[float | None] = []
    managed: list[str] = []
    real_begin = neo4j.Session.begin_transaction

    def begin(self: neo4j.Session, *args: object, **kwargs: object) -> neo4j.Transaction:
        begun.append(kwargs.get("timeout"))  # type: ignore[arg-type]
        return real_begin(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(neo4j.Session, "begin_transaction", begin)
    monkeypatch.setattr(neo4j.Session, "execute_read", lambda *a, **k: managed.append("read"))
    monkeypatch.setattr(neo4j.Session, "execute_write", lambda *a, **k: managed.append("write"))
    slow = "UNWIND range(1, 1000000000) AS x WITH x WHERE x % 7 = 99 RETURN count(*)"
    with pytest.raises(CypherFailed, match="took longer than 1 s"):
        run_read_only(neo4j_empty, slow, timeout=1)
    assert begun == [None, 1] and managed == []


def test_cypher_reports_a_syntax_error_plainly(cli: Cli, on_test_server: Driver) -> None:
    result = cli("cypher", "MATC (n) RETURN n", "--json")
    assert result.code == 2
    message = json.loads(result.err)["message"]
    assert message.startswith("Neo4j refused the query: Invalid input 'MATC'")
    # The position is the query's as typed, not the EXPLAIN the console puts in front.
    assert "(line 1, column 1 (offset: 0))" in message
    assert message.splitlines()[-2:] == ['"MATC (n) RETURN n"', " ^"]
    later = cli("cypher", "MATCH (n)\nRETRUN n", "--json")
    assert "(line 2, column 1 (offset: 10))" in json.loads(later.err)["message"]
    # An error while running (not planning) keeps the server's positions.
    assert "/ by zero" in cli("cypher", "RETURN 1/0").err


def test_commands_without_a_server_say_what_to_do(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NEO4J_URI", raising=False)
    monkeypatch.setenv("ORDERGRAPH_HOME", str(tmp_path))
    for args in (("neo4j", "status"), ("cypher", "RETURN 1"), ("neo4j", "sync")):
        result = cli(*args)
        assert result.code == 2
        assert "ordergraph neo4j start" in result.err and "NEO4J_URI" in result.err


def test_an_unreachable_server_fails_at_once_saying_what_to_check(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nothing listens there: one clear error naming the address and the setting, not ~30 s of the
    driver's retries printed on stderr."""
    uri = f"bolt://127.0.0.1:{server.free_port()}"
    monkeypatch.setenv("NEO4J_URI", uri)
    for args in (("cypher", "RETURN 1"), ("neo4j", "status"), ("show", "ORG:xiaomi", "--backend", "neo4j")):
        result = cli(*args)
        assert result.code == 2, args
        assert f"Neo4j at {uri} (NEO4J_URI) cannot be reached" in result.err, result.err
        assert "retried" not in result.err


@pytest.mark.parametrize("uri", ["http://127.0.0.1:7474", "https://example.org", "127.0.0.1:7687"])
def test_neo4j_uri_that_is_not_bolt_is_named(cli: Cli, monkeypatch: pytest.MonkeyPatch, uri: str) -> None:
    """Browser's http:// address (or no scheme) in NEO4J_URI: say which URIs work, not a traceback."""
    monkeypatch.setenv("NEO4J_URI", uri)
    result = cli("cypher", "RETURN 1")
    assert result.code == 2
    assert f"NEO4J_URI={uri} is not a Bolt address" in result.err and "neo4j+s://" in result.err


@pytest.fixture(scope="module")
def server_with_auth(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A second real server, authentication on, as Aura and self-hosted servers run."""
    home = tmp_path_factory.mktemp("neo4j-auth")
    started = server.start(home, server.LaunchOptions(stop_with=os.getpid(), timeout=300, auth=True))
    try:
        yield started.bolt_uri
    finally:
        server.stop(home)


def test_refused_credentials_say_which_settings_to_check(
    cli: Cli, server_with_auth: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEO4J_URI", server_with_auth)
    monkeypatch.setenv("NEO4J_USER", "neo4j")
    monkeypatch.setenv("NEO4J_PASSWORD", "not-the-password")
    commands = [("cypher", "RETURN 1"), ("neo4j", "status"), ("neo4j", "sync")]
    for args in [*commands, ("show", "1810.HK", "--backend", "neo4j")]:
        result = cli(*args)
        assert result.code == 2, (args, result.err)
        where = f"Neo4j at {server_with_auth} (NEO4J_URI)"
        assert f"{where} refused the credentials of user 'neo4j'" in result.err
        assert "check NEO4J_USER and NEO4J_PASSWORD" in result.err
    monkeypatch.delenv("NEO4J_USER")
    monkeypatch.delenv("NEO4J_PASSWORD")
    result = cli("cypher", "RETURN 1")
    assert result.code == 2
    assert "asks for a user and password: set NEO4J_USER and NEO4J_PASSWORD" in result.err


def test_start_without_java_or_maven_or_a_free_port_says_so(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_java = shutil.which("java") or "/bin/true"
    monkeypatch.setenv("ORDERGRAPH_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    result = cli("neo4j", "start")
    assert result.code == 2 and "java not found" in result.err

    java_only = tmp_path / "bin"
    java_only.mkdir()
    (java_only / "java").symlink_to(real_java)
    monkeypatch.setenv("PATH", str(java_only))
    monkeypatch.setenv("ORDERGRAPH_NEO4J_CACHE", str(tmp_path / "no-jars"))
    result = cli("neo4j", "start")
    assert result.code == 2 and "mvn not found" in result.err


def test_start_refuses_a_stop_with_that_is_not_a_pid(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ORDERGRAPH_HOME", str(tmp_path))
    monkeypatch.setenv(server.STOP_WITH_ENV, "the tests")
    result = cli("neo4j", "start")
    assert result.code == 2 and f"{server.STOP_WITH_ENV}='the tests' is not a process id" in result.err
    assert server.read_state(tmp_path / "neo4j") is None


def test_start_refuses_a_port_in_use(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ORDERGRAPH_HOME", str(tmp_path))
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = cli("neo4j", "start", "--bolt-port", str(port), "--http-port", str(server.free_port()))
    assert result.code == 2 and f"port {port}" in result.err and "in use" in result.err


@pytest.fixture
def own_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.delenv("NEO4J_URI", raising=False)
    monkeypatch.setenv("ORDERGRAPH_HOME", str(tmp_path))
    yield tmp_path / "neo4j"
    server.stop(tmp_path / "neo4j")  # also when the test failed midway


def test_start_for_an_owner_that_has_ended_says_what_to_do(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()
    monkeypatch.setenv("ORDERGRAPH_HOME", str(tmp_path))
    monkeypatch.setenv(server.STOP_WITH_ENV, str(ended.pid))
    result = cli("neo4j", "start")
    assert result.code == 2 and f"(pid {ended.pid}) has ended" in result.err
    assert f"If that pid came from {server.STOP_WITH_ENV}, unset it" in result.err
    assert "set it to the pid of a running process" in result.err
    assert server.read_state(tmp_path / "neo4j") is None


def test_start_status_stop_a_local_server(cli: Cli, own_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bolt, http = server.free_port(), server.free_port()
    started = cli("neo4j", "start", "--bolt-port", str(bolt), "--http-port", str(http), "--json")
    assert started.code == 0, started.err
    info = started.json()
    assert info["bolt"] == f"bolt://127.0.0.1:{bolt}"
    assert info["browser"] == f"http://127.0.0.1:{http}/browser/"
    pid = int((own_home / "run" / "neo4j.pid").read_text())
    assert pid == info["pid"] and server.read_state(own_home) is not None
    # It ends with this test run however the run ends (tests/conftest.py sets ORDERGRAPH_NEO4J_STOP_WITH).
    recorded = server.read_state(own_home)
    assert recorded is not None and recorded.owner == os.getpid() and recorded.running()
    conf = (own_home / "conf" / "neo4j.conf").read_text()
    assert f"server.bolt.advertised_address=127.0.0.1:{bolt}" in conf
    assert "server.default_listen_address=127.0.0.1" in conf and "dbms.security.auth_enabled=false" in conf
    # Neo4j Browser reads what it may send from the server: no product analytics, no banner asking.
    with GraphDatabase.driver(info["bolt"], auth=None) as driver:
        client = {r["name"]: r["value"] for r in driver.execute_query("CALL dbms.clientConfig()").records}
    assert client["client.allow_telemetry"] == "false"
    # Neo4j Browser is served, and the discovery document sends it to our Bolt port. The socket waits a
    # minute: a server just started on a loaded machine took over 10 s to send its first page.
    with urllib.request.urlopen(f"http://127.0.0.1:{http}/browser/", timeout=60) as page:
        assert page.status == 200
    with urllib.request.urlopen(f"http://127.0.0.1:{http}/", timeout=60) as page:
        assert json.load(page)["bolt_direct"] == f"bolt://127.0.0.1:{bolt}"

    assert cli("neo4j", "sync").code == 0
    status = cli("neo4j", "status")
    assert status.code == 0 and f"bolt://127.0.0.1:{bolt}" in status.out and info["browser"] in status.out
    again = cli("neo4j", "start", "--json").json()
    assert again["pid"] == pid, "a second start finds the running server"
    assert again["already_running"] is True and again["owner"] == os.getpid() and again["note"] is None
    assert "already running" in cli("neo4j", "start").out
    # Its own ports asked: it; other ones: an error naming the ports it is on.
    same = cli("neo4j", "start", "--bolt-port", str(bolt), "--http-port", str(http), "--json")
    assert same.code == 0 and same.json()["pid"] == pid
    other = server.free_port()
    refused = cli("neo4j", "start", "--bolt-port", str(other))
    assert refused.code == 2 and f"(pid {pid}) on Bolt port {bolt} and HTTP port {http}" in refused.err
    assert f"not on the port asked (Bolt {other})" in refused.err and "ordergraph neo4j stop" in refused.err
    # Another owner asked for (none: a server that runs until stopped; another process): it, saying whose.
    monkeypatch.delenv(server.STOP_WITH_ENV)
    mine = cli("neo4j", "start", "--json")
    assert mine.code == 0 and mine.json()["pid"] == pid
    assert f"started for process {os.getpid()}" in mine.json()["note"]
    assert f"Note:    it was started for process {os.getpid()}" in cli("neo4j", "start").out
    monkeypatch.setenv(server.STOP_WITH_ENV, str(os.getppid()))
    theirs = cli("neo4j", "start", "--json")
    assert f"it is process {os.getpid()}'s server" in theirs.json()["note"]
    assert f"not when process {os.getppid()} does" in theirs.json()["note"]
    monkeypatch.setenv(server.STOP_WITH_ENV, str(os.getpid()))

    stopped = cli("neo4j", "stop")
    assert stopped.code == 0 and str(pid) in stopped.out
    assert not server.read_state(own_home)
    # Gone (or ended, not reaped yet by its watchdog: a zombie is no server).
    assert watchdog.start_time(pid) is None
    assert "no local Neo4j server" in cli("neo4j", "stop").out


QUERIES = [
    ("search", "Xiaomi"),
    ("search", "Luokong"),
    ("show", "ORG:xiaomi"),
    ("show", "1810.HK"),
    ("show", "EO:13959"),
    ("show", "SEC:NYSE:CHL"),
    ("show", "LIST:DOD-1260H"),
    ("timeline", "ORG:luokung"),
    ("neighbours", "ORG:xiaomi", "--depth", "2", "--as-of", "2021-03-01"),
    ("path", "ORG:tencent", "EO:14034"),
    ("affects", "1810.HK", "--as-of", "2021-03-13"),
    ("affects", "NYSE:CHL", "--as-of", "2021-02-01", "--explain"),
    ("stats",),
]


@pytest.fixture(scope="module")
def curated_workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace holding the curated data alone (its base, as a first ``load`` creates it)."""
    folder = tmp_path_factory.mktemp("curated-workspace")
    workspace = Workspace(folder)
    workspace.store()
    workspace.close()
    return folder


@pytest.fixture
def on_every_store(
    cli: Cli, on_test_server: Driver, curated_workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> Callable[..., dict[str, CliResult]]:
    """Run one command on each store (the embedded graph, the workspace, Neo4j): name → result."""
    assert cli("neo4j", "sync").code == 0
    no_workspace = os.environ["ORDERGRAPH_HOME"]

    def run(*args: str) -> dict[str, CliResult]:
        results = {"memory": cli(*args), "neo4j": cli(*args, "--backend", "neo4j")}
        monkeypatch.setenv("ORDERGRAPH_HOME", str(curated_workspace))
        results["workspace"] = cli(*args)
        monkeypatch.setenv("ORDERGRAPH_HOME", no_workspace)
        return results

    return run


@pytest.mark.parametrize("args", QUERIES, ids=[" ".join(a) for a in QUERIES])
def test_every_query_answers_alike_through_neo4j(
    cli: Cli,
    on_every_store: Callable[..., dict[str, CliResult]],
    monkeypatch: pytest.MonkeyPatch,
    args: tuple[str, ...],
) -> None:
    """The same JSON and the same text, line for line in the same order, from every store."""
    answers = on_every_store(*args, "--json")
    embedded = answers["memory"]
    assert embedded.code == 0, embedded.err
    for name, answer in answers.items():
        assert (answer.code, answer.err) == (0, ""), name
        assert answer.json() == embedded.json(), name
    texts = on_every_store(*args)
    assert texts["memory"].code == 0 and texts["memory"].out.strip(), texts["memory"].err
    for name, text in texts.items():
        assert (text.code, text.err, text.out) == (0, texts["memory"].err, texts["memory"].out), name
    monkeypatch.setenv("ORDERGRAPH_BACKEND", "neo4j")
    assert cli(*args, "--json").json() == embedded.json()


def test_every_entity_shows_alike_on_every_store(
    on_every_store: Callable[..., dict[str, CliResult]], store: MemoryStore
) -> None:
    """`show`'s text on every entity of the curated graph: its properties in one order on every store."""
    differ: dict[str, list[str]] = {}
    for node in store.nodes():
        answers = on_every_store("show", node.id)
        assert answers["memory"].code == 0, answers["memory"].err
        for name, answer in answers.items():
            if (answer.code, answer.out) != (0, answers["memory"].out):
                differ.setdefault(name, []).append(node.id)
    assert differ == {}


def test_an_unknown_name_fails_alike_through_neo4j(cli: Cli, on_test_server: Driver) -> None:
    assert cli("neo4j", "sync").code == 0
    embedded = cli("show", "Xiaomy Corp", "--json")
    remote = cli("show", "Xiaomy Corp", "--json", "--backend", "neo4j")
    assert (remote.code, remote.err) == (embedded.code, embedded.err)


def test_a_graph_synced_under_other_name_rules_says_to_sync_and_a_sync_mends_it(
    cli: Cli, on_test_server: Driver
) -> None:
    """The name rules changed since the sync (the recorded version set by hand): a search through
    Neo4j fails with what to run, not a shorter answer; `neo4j sync` says it wrote everything
    again, and the search then answers as the embedded graph does."""
    from graph import cypher

    assert cli("neo4j", "sync").code == 0
    on_test_server.execute_query(f"MATCH (k:{cypher.KEYS_LABEL}) SET k.version = 'earlier-rules'")
    for args in (("search", "Xiaomi"), ("show", "Xiaomi Corp")):
        result = cli(*args, "--backend", "neo4j")
        assert result.code == 2, (args, result.out)
        assert result.err.startswith("error: Neo4j's graph was synced under other name rules"), result.err
        assert result.err.rstrip().endswith("run `ordergraph neo4j sync`"), result.err
    synced = cli("neo4j", "sync")
    assert synced.code == 0, synced.err
    assert "every item written again (Neo4j's graph was synced under other name rules" in synced.out
    for args in (("search", "Xiaomi"), ("show", "Xiaomi Corp")):
        remote = cli(*args, "--backend", "neo4j")
        assert (remote.code, remote.err) == (0, ""), remote.err
        assert remote.out == cli(*args).out
