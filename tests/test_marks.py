"""Tests that start a Neo4j server can be left out by their mark or keyword (``-m "not neo4j"``,
``-k "not neo4j"``), as a quick local run does: tests/conftest marks every test whose fixtures ask for a
server, whatever its file or name says. Collection only: no server starts here."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Its test of thousands of names sharing their words asks for the server by a fixture, and neither
# its file nor its name says neo4j (the file's other Neo4j cases carry it in their parameter ids).
CONTRACT = "tests/graph/test_store_contract.py"
SERVER_FIXTURE = re.compile(r"^(neo4j_uri|neo4j_bulk_home) -- ", re.MULTILINE)


def _fixtures_per_test(*options: str) -> str:
    """What ``pytest --fixtures-per-test`` prints for the store contract's tests these options select."""
    command = [sys.executable, "-m", "pytest", "--fixtures-per-test", "-q", "-pno:cacheprovider"]
    done = subprocess.run(
        [*command, *options, CONTRACT],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return done.stdout


def test_a_test_asking_for_a_server_is_left_out_by_keyword_and_selected_by_mark() -> None:
    assert SERVER_FIXTURE.search(_fixtures_per_test("-m", "neo4j", "-k", "thousands_of_names"))
    left = _fixtures_per_test("-k", "not neo4j")
    assert "fixtures used by" in left and not SERVER_FIXTURE.search(left)
