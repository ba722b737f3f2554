# Two commands for people: `make demo` and `make test` (README.md). `make build` and
# `make clean` are there too; every other target is an internal step.
# Works from a fresh clone with Python 3.11, Node.js/npm and apt.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# pip install -e ".[dev]" re-runs only when pyproject.toml is newer than this stamp.
DEV_STAMP := $(VENV)/.journeywidgets-dev-installed
# npm ci re-runs only when node_modules is missing or the lock file's content changed (a
# copy of the lock it installed is kept here; `npm install` rewriting an equal lock is no change).
NODE_LOCK_COPY := js/node_modules/.journeywidgets-installed-lock.json

.PHONY: help demo test build clean js js-deps venv

help:
	@echo "make demo   open JupyterLab on examples/quickstart.ipynb (DEMO_SMOKE=1: headless check)"
	@echo "make test   lint, type-check, front-end tests, pytest (unit + browser end to end)"
	@echo "make build  create .venv and build the front end into src/journeywidgets/static/"
	@echo "make clean  remove build outputs and caches (keeps .venv and js/node_modules)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The bundle is built before the editable install so hatch-jupyter-builder finds it
# (skip-if-exists) and does not run npm itself.  pip writes the dependencies' bytecode, as it
# does by default: where PYTHONDONTWRITEBYTECODE is set, Python would otherwise compile altair,
# Jupyter and the rest from source in every kernel (a chart's first import took 0.9 s longer).
$(DEV_STAMP): pyproject.toml | $(BIN)/python js
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $@

venv: $(DEV_STAMP)

js-deps:
	@if ! cmp -s js/package-lock.json $(NODE_LOCK_COPY); then \
		echo "cd js && npm ci"; \
		(cd js && npm ci --no-audit --no-fund) && cp js/package-lock.json $(NODE_LOCK_COPY); \
	fi

# Always rebuilt (esbuild takes milliseconds) so tests and the demo use the current source.
js: js-deps
	cd js && npm run --silent build

build: js venv

# ensure Chromium, ruff, ruff format, mypy, tsc, vitest (browser), pytest: see scripts/check.sh.
test: build
	scripts/check.sh

demo: build
	@if [ "$${DEMO_SMOKE:-}" = 1 ]; then \
		scripts/ensure_chromium.sh && $(BIN)/python scripts/demo_smoke.py; \
	else \
		$(BIN)/jupyter lab $$( [ "$$(id -u)" = 0 ] && echo --allow-root ) examples/quickstart.ipynb; \
	fi

clean:
	rm -rf src/journeywidgets/static dist build site tests/e2e/artifacts \
		.pytest_cache .mypy_cache .ruff_cache .hypothesis
	find . -path ./$(VENV) -prune -o -path ./js/node_modules -prune -o \
		-name __pycache__ -type d -exec rm -rf {} +
