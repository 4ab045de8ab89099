# Yicai: the two commands are `make demo` and `make test`; the others are their parts.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
EN_PO := yicai/locale/en/LC_MESSAGES/django.po
PG_URL ?= postgres://postgres@127.0.0.1:5432/yicai
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: setup demo serve test test-sqlite test-postgres lint format browser bench clean lock

setup: $(VENV)/.installed node_modules/.installed messages var  ## install everything (idempotent)

var:  # the embedded database and other local state
	mkdir -p var

$(VENV)/.installed: requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

messages: $(VENV)/.installed
	cd yicai && ../$(BIN)/yicai compilemessages --verbosity 0 --ignore=.venv

demo: setup  ## migrate the embedded SQLite database, load the demo region, serve it
	$(BIN)/yicai migrate --no-input --verbosity 0
	$(BIN)/yicai demo
	@# The background worker (imports and other long work) runs beside the site, and stops with it.
	$(BIN)/yicai db_worker --no-reload --verbosity 0 & worker=$$!; trap 'kill $$worker' EXIT INT TERM; \
	  $(BIN)/yicai runserver 127.0.0.1:8000

browser:  ## Debian's Chromium and a CJK font for the browser tests
	@command -v chromium >/dev/null && fc-list | grep -qi 'noto.*cjk' || { \
	  apt-get update -qq && apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; }

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	@# Apps stand in layers and the shared layer imports no domain app (contracts in .importlinter).
	PYTHONPATH=$(CURDIR) $(BIN)/lint-imports .importlinter --no-cache
	@# Types (mypy.ini): the whole package, strict on access, the shared layer, services, queries.
	$(BIN)/mypy
	@# A merge's conflict marks left in a file ruff does not read (documents, templates).
	@! git grep -nE '^(<<<<<<< |>>>>>>> )' -- . || { echo "Conflict marks left in the files above."; exit 1; }
	$(BIN)/yicai makemigrations --check --dry-run --verbosity 0
	@# Every UI string has its English: the catalog is brought up to date, then nothing may be
	@# untranslated or fuzzy (a changed Chinese string leaves its old English fuzzy).
	cd yicai && ../$(BIN)/yicai makemessages -l en --ignore=.venv --no-obsolete --verbosity 0
	@stats=$$(msgfmt --statistics -o /dev/null $(EN_PO) 2>&1); echo "English catalog: $$stats"; \
	  case "$$stats" in *fuzzy*|*untranslated*) echo "Translate the new strings in $(EN_PO)."; exit 1;; esac

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: setup browser lint test-sqlite test-postgres  ## lint, then the whole suite on SQLite and PostgreSQL

test-sqlite: setup
	$(BIN)/pytest -n 2 --dist loadfile

test-postgres: setup
	DATABASE_URL=$(PG_URL) $(BIN)/pytest -n 2 --dist loadfile --create-db

bench: setup  ## benchmarks (not part of the test suite)
	$(BIN)/python -m bench $(BENCH_ARGS)

lock:  ## refresh requirements.lock from requirements*.in
	rm -rf .lockenv && $(PYTHON) -m venv .lockenv
	.lockenv/bin/pip install --quiet -r requirements.in -r requirements-dev.in
	.lockenv/bin/pip freeze > requirements.lock && rm -rf .lockenv

clean:
	rm -rf $(VENV) node_modules var
