"""`pip install .` ships the command (ordergraph.py and the cli package), the schema, the OFAC programs, the
Neo4j pom and the curated data with the code."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_wheel_carries_schema_programs_and_data(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        cwd=tmp_path,
    )
    (wheel,) = tmp_path.glob("ordergraph-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "ordergraph.py" in names  # the `ordergraph` script's entry point, and its commands:
    assert {f"cli/{p.name}" for p in (ROOT / "cli").glob("*.py")} <= names
    assert "graph/schema.yaml" in names
    assert "graph/countries.yaml" in names  # a country code reads as its name on every face
    assert "loaders/ofac_programs.yaml" in names
    assert "tools/neo4j/pom.xml" in names  # an installed `ordergraph neo4j start` reads it
    data = {n.rsplit("/", 1)[1] for n in names if "/data/share/ordergraph/data/" in n}
    assert data == {p.name for p in (ROOT / "data").iterdir() if p.suffix in (".yaml", ".md")}
