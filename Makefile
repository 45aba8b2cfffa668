# Two entry points on a fresh machine: `make app` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: app test install lint typecheck unit bench bench-app clean chromium jdk neo4j neo4j-stop

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $@

install: $(BIN)/.installed

# The web app on the embedded graph, offline, on this machine only (`make app APP_PORT=8502` when 8501 is taken).
APP_PORT ?= 8501
app: install
	$(BIN)/streamlit run serve.py --server.headless true --server.address 127.0.0.1 --server.port $(APP_PORT) \
		--browser.gatherUsageStats false

# The browser tests drive Debian's Chromium (never a downloaded build), with a CJK font
# (WenQuanYi Micro Hei, 1.6 MB) so Chinese names are drawn, not boxes.
# A Debian mirror that fails for a moment is retried; no install stops to ask a question.
APT := DEBIAN_FRONTEND=noninteractive apt-get -o Acquire::Retries=5
chromium:
	@test -x /usr/bin/chromium || ($(APT) update && $(APT) install -y chromium)
	@test -n "$$(fc-list :lang=zh 2>/dev/null)" || ($(APT) update && $(APT) install -y fonts-wqy-microhei)

# The Neo4j tests start a real server from Maven Central's jars: Java 17 and Maven (both on this
# machine kind; installed from Debian when missing).
jdk:
	@command -v java >/dev/null || ($(APT) update && $(APT) install -y openjdk-17-jre-headless)
	@command -v mvn >/dev/null || ($(APT) update && $(APT) install -y maven)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy

unit: install chromium jdk
	$(BIN)/pytest -q -n 2 --dist loadfile

test: lint typecheck unit

# Issue 10's harness: 10k, 100k and 1M FtM entities (corpora generated once into bench/.corpus).
BENCH_SIZES ?= 10000 100000 1000000
bench: install bench-app
	nice $(BIN)/python bench/bench_startup.py
	nice $(BIN)/python -m bench.run $(BENCH_SIZES)

# The app's figures: subgraph payload per rerun, first frame in Chromium, first paint of a share link.
bench-app: install chromium
	nice $(BIN)/python -m bench.bench_app

# A local Neo4j server (fetched from Maven Central the first time) holding the curated graph.
neo4j: install
	$(BIN)/ordergraph neo4j start
	$(BIN)/ordergraph neo4j sync
	$(BIN)/ordergraph neo4j status

neo4j-stop: install
	$(BIN)/ordergraph neo4j stop

clean:
	rm -rf $(VENV) build *.egg-info
