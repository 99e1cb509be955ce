# Convene: `make run` and `make test` are all a fresh clone needs.
# Everything is installed locally: Python packages in .venv, npm packages in
# node_modules. Debian's chromium is installed for the browser tests if missing.

PORT ?= 8000
HOST ?= 127.0.0.1
UV_VERSION := 0.13.8
VENV := .venv
BIN := $(VENV)/bin
STAMPS := .make
CHROMIUM ?= /usr/bin/chromium
NGINX ?= /usr/sbin/nginx
# Branch coverage the SQLite pass must reach (docs/decisions/0019); `make test
# PYTEST_ARGS=tests/x COV_ARGS=` runs a part without it.
COV_MIN ?= 90

.DEFAULT_GOAL := help
.PHONY: help setup run test test-sqlite test-postgres lint imports types fmt bench static lock clean chromium nginx

help:
	@echo "make run     set everything up, load the demo event, serve on http://$(HOST):$(PORT)"
	@echo "make test    set everything up and run every test (again on PostgreSQL if DATABASE_URL is set)"
	@echo "make lint    ruff, format check, migrations check, the app map (lint-imports) and mypy"
	@echo "make fmt     format the code"
	@echo "make lock    regenerate requirements.lock from pyproject.toml"

$(STAMPS):
	@mkdir -p $(STAMPS)

$(STAMPS)/python: requirements.lock | $(STAMPS)
	@PY=$$(scripts/find-python.sh) || exit 1; \
	if [ ! -x $(BIN)/python ] || ! $(BIN)/python -c 'import sys; sys.exit(sys.version_info < (3, 12))'; then \
	  rm -rf $(VENV) && echo "Creating $(VENV) with $$PY" && "$$PY" -m venv $(VENV); fi
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(BIN)/uv pip install --quiet --python $(BIN)/python -r requirements.lock
	@touch $@

$(STAMPS)/node: package.json package-lock.json | $(STAMPS)
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

$(STAMPS)/static: $(STAMPS)/node scripts/build-static.mjs $(shell find assets -type f) | $(STAMPS)
	npm run --silent build
	@touch $@

static: $(STAMPS)/static

setup: $(STAMPS)/python $(STAMPS)/static

chromium:
	@test -x $(CHROMIUM) || { echo "Installing Debian's chromium for the browser tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-liberation) >/dev/null; }
	@test -x $(CHROMIUM) || { echo "chromium is missing at $(CHROMIUM); set CHROMIUM=/path/to/chromium"; exit 1; }

# The proxy tests run nginx with docs/nginx-proxy.conf (tests/core/test_proxy_trust.py).
nginx:
	@test -x $(NGINX) || { echo "Installing Debian's nginx-light for the proxy tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light) >/dev/null; }
	@test -x $(NGINX) || { echo "nginx is missing at $(NGINX); set NGINX=/path/to/nginx"; exit 1; }

run: setup
	DEBUG=$${DEBUG:-true} PORT=$(PORT) HOST=$(HOST) BIN=$(BIN) scripts/run.sh

# The lint first; then SQLite (the embedded default, with browser tests and branch
# coverage); then, when DATABASE_URL names PostgreSQL, every test that touches the
# database again on PostgreSQL.
COV_ARGS ?= --cov=convene --cov-branch --cov-report=term:skip-covered --cov-fail-under=$(COV_MIN)
test: setup chromium nginx lint
	env -u DATABASE_URL CHROMIUM=$(CHROMIUM) NGINX=$(NGINX) $(BIN)/pytest $(COV_ARGS) $(PYTEST_ARGS)
	@case "$${DATABASE_URL:-}" in \
	  postgres*) echo "== again on PostgreSQL ($${DATABASE_URL}) =="; \
	    CHROMIUM=$(CHROMIUM) NGINX=$(NGINX) $(BIN)/pytest -m "not browser and not settings_process" $(PYTEST_ARGS) ;; \
	  *) echo "DATABASE_URL is not a PostgreSQL URL: PostgreSQL run skipped." ;; \
	esac

# The migrations check runs on SQLite whatever DATABASE_URL says: it needs no server
# (and must not wait for one that has no database yet).
lint: $(STAMPS)/python
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	env -u DATABASE_URL DEBUG=true $(BIN)/python manage.py makemigrations --check --dry-run
	@$(MAKE) --no-print-directory imports types

# The app map of docs/architecture.md (contracts in pyproject.toml).
imports: $(STAMPS)/python
	$(BIN)/lint-imports

# mypy with django-stubs on services, selectors, rules, tasks and consumers.
types: $(STAMPS)/python
	DEBUG=true $(BIN)/mypy

fmt: $(STAMPS)/python
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

lock: $(STAMPS)/python
	$(BIN)/uv pip compile --quiet --universal --python-version 3.12 --extra dev \
	  --generate-hashes pyproject.toml -o requirements.lock

bench: setup
	$(BIN)/python bench/programme.py
	$(BIN)/python bench/registration.py
	$(BIN)/python bench/live.py

clean:
	rm -rf $(VENV) node_modules $(STAMPS) convene/static/dist staticfiles
