"""Shared fixtures: the curated store, the mini fixture store, a CLI runner, and a real Neo4j server."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from neo4j import Driver, GraphDatabase

import ordergraph
from cli.session import Session
from graph.store.memory import MemoryStore
from loaders.cache import CACHE_ENV
from loaders.workspace import PROJECT_DATA, load_memory_store
from tests import warm_servers as warm
from tests.warm_servers import WarmServers
from tools.neo4j import classes as neo4j_classes
from tools.neo4j import server as neo4j_server

FIXTURES = Path(__file__).parent / "fixtures"
SHARED = Path(__file__).resolve().parents[2] / "shared"


@dataclass
class CliResult:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test whose fixtures start a Neo4j server is marked ``neo4j`` (before ``-k``/``-m`` select), so
    ``-m "not neo4j"`` and ``-k "not neo4j"`` leave it out even when neither its file nor its name says
    neo4j (the Cypher cookbook's tests; a test asking for the server through ``getfixturevalue`` carries
    the word in its parameter id instead)."""
    for item in items:
        if _wanted([item]) and item.get_closest_marker("neo4j") is None:
            item.add_marker(pytest.mark.neo4j)


@pytest.fixture(scope="session", autouse=True)
def dataset_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The dataset cache of the whole run (and of the commands it starts), away from the user's own."""
    folder = tmp_path_factory.mktemp("dataset-cache")
    before = os.environ.get(CACHE_ENV)
    os.environ[CACHE_ENV] = str(folder)
    yield folder
    if before is None:
        os.environ.pop(CACHE_ENV, None)
    else:
        os.environ[CACHE_ENV] = before


@pytest.fixture(scope="session", autouse=True)
def servers_end_with_the_run() -> Iterator[None]:
    """A server `ordergraph neo4j start` starts in a test (in-process or a command) ends with this run,
    however it ends: killed midway too, when no fixture's ``finally`` runs."""
    before = os.environ.get(neo4j_server.STOP_WITH_ENV)
    os.environ[neo4j_server.STOP_WITH_ENV] = str(os.getpid())
    yield
    if before is None:
        os.environ.pop(neo4j_server.STOP_WITH_ENV, None)
    else:
        os.environ[neo4j_server.STOP_WITH_ENV] = before


@pytest.fixture(scope="session", autouse=True)
def servers_start_quickly() -> Iterator[None]:
    """Every JVM the run starts (its servers, in-process or by a command, and bulk imports) compiles
    with C1 only (``$ORDERGRAPH_NEO4J_JVM_FLAGS``, unless set already): a server starts and an import
    runs a third faster, and the suite starts dozens of each. The servers are real Neo4j all the same;
    only the JIT's tiers differ from a user's (tools/neo4j/config.py says why they keep C2)."""
    before = os.environ.get(neo4j_server.JVM_FLAGS_ENV)
    if before is None:
        os.environ[neo4j_server.JVM_FLAGS_ENV] = "-XX:TieredStopAtLevel=1"
    yield
    if before is None:
        os.environ.pop(neo4j_server.JVM_FLAGS_ENV, None)


@pytest.fixture(autouse=True)
def no_stray_workspace(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests see a workspace only when they make one: a developer's ./.ordergraph is not read."""
    monkeypatch.setenv("ORDERGRAPH_HOME", str(tmp_path_factory.mktemp("home") / "none"))


@pytest.fixture(scope="session")
def store() -> MemoryStore:
    """The curated corpus in data/, loaded once."""
    return load_memory_store(PROJECT_DATA)


@pytest.fixture(scope="session")
def mini() -> MemoryStore:
    """The small engine fixture in tests/fixtures/mini."""
    return load_memory_store(FIXTURES / "mini")


@pytest.fixture(scope="session")
def announced() -> MemoryStore:
    """tests/fixtures/announced: a suspension whose day only a notice published before it gives."""
    return load_memory_store(FIXTURES / "announced")


@pytest.fixture
def cli(store: MemoryStore) -> Callable[..., CliResult]:
    """Run `ordergraph ARGS…` in-process with click's CliRunner; the curated store is loaded once.

    Other data folders (``--data``, ``$ORDERGRAPH_DATA``) are read afresh on every call.
    """
    runner = CliRunner()

    def run(*args: str, stdin: str | None = None) -> CliResult:
        session = Session(stores={PROJECT_DATA.resolve(): store})
        result = runner.invoke(ordergraph.cli, list(args), input=stdin, obj=session, catch_exceptions=False)
        return CliResult(result.exit_code, result.stdout, result.stderr)

    return run


# An external server for the tests. Not NEO4J_URI: the tests empty the database they use.
TEST_NEO4J_URI = "ORDERGRAPH_TEST_NEO4J_URI"


@pytest.fixture(scope="session", autouse=True)
def warm_servers(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    servers_end_with_the_run: None,
    servers_start_quickly: None,
) -> Iterator[WarmServers | None]:
    """The servers of :func:`neo4j_uri` and :func:`neo4j_bulk_home`, each started in the background as
    the first file whose tests ask for it begins (:func:`servers_of_this_file`; tests/warm_servers.py
    says why), and stopped as the run ends; the class archive is built in the background as the run
    begins. None when no test this run selected asks for a server (a fixture asking all the same starts
    its server when asked), or Java is missing (the fixtures say so)."""
    if not _wanted(request.session.items) or not _has_java():
        yield None
        return
    homes: dict[str, Path] = {"bulk": _bulk_home(tmp_path_factory)}
    if not os.environ.get(TEST_NEO4J_URI):
        homes["run"] = tmp_path_factory.mktemp("neo4j-home")
    servers = warm.WarmServers(homes, dict(os.environ))
    try:
        servers.warm()  # the archive, which every server's JVM maps
        yield servers
    finally:
        servers.close()


@pytest.fixture(scope="module", autouse=True)
def servers_of_this_file(request: pytest.FixtureRequest, warm_servers: WarmServers | None) -> Iterator[None]:
    """The servers this file's tests ask for, started in the background as it begins, while its first
    tests run (a server asked for already runs on). Under pytest-xdist a worker learns its files one at
    a time, so a worker starts only the servers of the files it runs. The background start is waited for
    as the file ends: no thread outlives it (a process running another thread forks no FtM reading
    worker: loaders/worker)."""
    if warm_servers is not None:
        warm_servers.warm(_wanted(item for item in request.session.items if item.path == request.path))
    yield
    if warm_servers is not None:
        warm_servers.settle()


def _wanted(items: Iterable[pytest.Item]) -> set[str]:
    """The servers (tests/warm_servers.FIXTURES) these items ask for by their fixtures."""
    return {
        server
        for item in items
        for fixture, server in warm.FIXTURES.items()
        if fixture in getattr(item, "fixturenames", ())
    }


def _has_java() -> bool:
    try:
        neo4j_server.java()
    except neo4j_server.ServerError:
        return False
    return True


def _bulk_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("bulk") / "neo4j"  # $ORDERGRAPH_HOME/neo4j, for `ordergraph neo4j`


@pytest.fixture(scope="session")
def shared_classes(warm_servers: WarmServers | None) -> None:
    """Every JVM started after this one maps a class archive of the server's jars (tools/neo4j/classes:
    ~2 s off each of the run's dozens of starts): built once per jar cache, Java and flags (~15 s),
    then found there. A run against an external server starts none."""
    if os.environ.get(TEST_NEO4J_URI):
        return
    _java_or_skip()
    # Built in the background as the run began (warm_servers), else now.
    archive = warm_servers.archive() if warm_servers is not None else neo4j_classes.build_archive()
    if archive is not None:
        flags = os.environ.get(neo4j_server.JVM_FLAGS_ENV, "")
        os.environ[neo4j_server.JVM_FLAGS_ENV] = warm.sharing(flags, archive)


@pytest.fixture(scope="session")
def neo4j_uri(
    tmp_path_factory: pytest.TempPathFactory, shared_classes: None, warm_servers: WarmServers | None
) -> Iterator[str]:
    """A real Neo4j server for this test run: started on free ports in a fresh home (ahead, as the first
    file whose tests ask for it begins: :func:`servers_of_this_file`), stopped after.

    Never skipped under CI=true; locally skipped only when Java is missing.
    """
    external = os.environ.get(TEST_NEO4J_URI)
    if external:
        yield external
        return
    _java_or_skip()
    if warm_servers is not None and "run" in warm_servers.homes:
        yield warm_servers.server("run").bolt_uri  # stopped by warm_servers
        return
    home = tmp_path_factory.mktemp("neo4j-home")
    server = neo4j_server.start(home, warm.options())
    try:
        yield server.bolt_uri
    finally:
        neo4j_server.stop(home)


def _java_or_skip() -> None:
    """Java for a local server: a failure under CI=true (the Neo4j tests must run there), a skip
    elsewhere when it is missing."""
    try:
        neo4j_server.java()
    except neo4j_server.ServerError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the Neo4j tests: {exc}")
        pytest.skip(f"Neo4j tests need Java: {exc}")


@pytest.fixture(scope="session")
def neo4j_bulk_home(
    tmp_path_factory: pytest.TempPathFactory, shared_classes: None, warm_servers: WarmServers | None
) -> Iterator[Path]:
    """The home of a local server of its own (``tools.neo4j.server.start``; ahead, as the first file
    whose tests ask for it begins: :func:`servers_of_this_file`), for bulk syncs: they stop and start
    it (tools.neo4j.bulk). Never skipped under CI=true; locally skipped only without Java."""
    _java_or_skip()
    if warm_servers is not None and "bulk" in warm_servers.homes:
        warm_servers.server("bulk")
        yield warm_servers.homes["bulk"]  # stopped by warm_servers
        return
    home = _bulk_home(tmp_path_factory)
    neo4j_server.start(home, warm.options())
    try:
        yield home
    finally:
        neo4j_server.stop(home)


@pytest.fixture(scope="session")
def neo4j_driver(neo4j_uri: str) -> Iterator[Driver]:
    user, password = os.environ.get("NEO4J_USER"), os.environ.get("NEO4J_PASSWORD")
    auth = (user, password) if user and password and os.environ.get(TEST_NEO4J_URI) else None
    with GraphDatabase.driver(neo4j_uri, auth=auth) as driver:
        yield driver


@pytest.fixture(scope="session")
def neo4j_schema(neo4j_driver: Driver) -> Driver:
    """The test server with ordergraph's constraints and indexes (created once; emptying keeps them)."""
    from graph.neo4j_sync import ensure_schema

    ensure_schema(neo4j_driver)
    return neo4j_driver


@pytest.fixture
def neo4j_empty(neo4j_schema: Driver) -> Driver:
    """The test server's database, emptied (data only: constraints and indexes stay)."""
    neo4j_schema.execute_query("MATCH (n) DETACH DELETE n")
    return neo4j_schema
