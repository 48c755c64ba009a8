# Monitora: two commands to a running site. `make run` and `make test` each set up .venv first.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
# Django 6 needs Python >= 3.12: take the first one found on PATH or in pyenv.
PYTHON ?= $(shell for p in python3.14 python3.13 python3.12 $$HOME/.pyenv/versions/3.1[234]*/bin/python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { command -v $$p; break; }; done)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run worker test setup lint format migrate demo demo-passwords bench clean browsers messages

$(VENV)/.installed: pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python >= 3.12 not found: install python3.12 or set PYTHON=/path/to/python3.12"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

# Front-end libraries (htmx, Leaflet, Chart.js, axe-core) come from the npm registry.
node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "npm not found: install Node.js (>= 18) to get the front-end libraries"; exit 1; }
	npm ci --no-audit --no-fund
	touch $@

setup: $(VENV)/.installed node_modules/.installed

migrate: setup
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo

# The demo accounts and their passwords are printed last, every time, just before the server starts.
# Tasks (e-mail, digests, reindex) run at once inside the request in development; with
# TASKS_BACKEND=database they are queued and `make worker` (another terminal) runs them.
run: demo
	@$(PY) manage.py create_demo_accounts --banner --url http://$(HOST):$(PORT)/
	$(PY) manage.py runserver $(HOST):$(PORT)

# Put the demo accounts' passwords back to the ones `make run` prints (development only).
demo-passwords: migrate
	$(PY) manage.py create_demo_accounts --reset-passwords

# Browser tests need Debian's chromium: installed when missing and allowed (scripts/install-chromium.sh),
# otherwise every browser test is skipped with one line saying how to enable them.
browsers:
	@sh scripts/install-chromium.sh

worker: migrate
	TASKS_BACKEND=$${TASKS_BACKEND:-database} $(PY) manage.py db_worker

test: setup browsers
	$(PY) -m pytest

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: setup
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Refresh the English catalogue after changing Italian source strings; the compiled .mo is committed.
messages: setup
	$(PY) manage.py makemessages -l en --no-location --ignore=.venv --ignore=node_modules --ignore=staticfiles --ignore=media
	$(PY) manage.py compilemessages -l en --ignore=.venv --ignore=node_modules

clean:
	rm -rf $(VENV) node_modules db.sqlite3 staticfiles .pytest_cache
