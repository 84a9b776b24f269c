# mirai-ai developer commands. `make install` is idempotent: it does nothing when nothing changed.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
UV := $(BIN)/uv
STAMP := $(VENV)/.installed
# uv (also under `meltano install`) writes no .pyc by default, and PYTHONDONTWRITEBYTECODE may be
# set: without compiled bytecode every tap, target and dbt process spends ~1 s compiling imports.
export UV_COMPILE_BYTECODE := 1

.PHONY: install test lint bench demo lock clean

install: $(STAMP)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check uv==0.13.9

$(STAMP): $(BIN)/python requirements.txt transform/requirements-dbt.txt pyproject.toml extract/pyproject.toml load/pyproject.toml meltano.yml
	$(UV) pip install --quiet --python $(BIN)/python -r requirements.txt -e ".[local]" -e ./extract -e ./load
	cd . && MELTANO_SEND_ANONYMOUS_USAGE_STATS=false $(BIN)/meltano install
	touch $(STAMP)

lock:
	$(UV) pip compile --quiet --generate-hashes -p 3.11 requirements.in -o requirements.txt
	$(UV) pip compile --quiet --generate-hashes -p 3.11 transform/requirements-dbt.in -o transform/requirements-dbt.txt

test: install
	$(BIN)/python -m tests.preflight
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy extract/tap_hubspot extract/hubspot_sandbox load/target_mysql ai_enrich orchestrate scripts bench

bench: install
	$(BIN)/python -m bench

demo: install
	$(BIN)/python -m scripts.demo

clean:
	rm -rf $(VENV) .meltano transform/target transform/logs
