# Two entry points on a fresh machine: `make app` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: app test install lint typecheck unit bench clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $@

install: $(BIN)/.installed

# Until the web app lands, `make app` prints a tour of the CLI on the embedded graph.
app: install
	$(BIN)/python -m ordergraph tour

lint: install
	$(BIN)/ruff check .

typecheck: install
	$(BIN)/mypy

unit: install
	$(BIN)/pytest -q

test: lint typecheck unit

# Issue 10's harness: 10k, 100k and 1M FtM entities (corpora generated once into bench/.corpus).
BENCH_SIZES ?= 10000 100000 1000000
bench: install
	nice $(BIN)/python -m bench.run $(BENCH_SIZES)

clean:
	rm -rf $(VENV) build *.egg-info
