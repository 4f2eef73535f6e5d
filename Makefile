# Esplora Lavoro: `make run` serves the portal, `make test` runs the suite.
# Both set everything up first (virtual environment, packages, database, translations).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
# The address the development server's links and Site record use (see README).
export PORTAL_BASE_URL ?= http://$(HOST):$(PORT)

.PHONY: run test setup setup-test migrate messages compilemessages demo worker lint format bench clean stack stop-stack test-stack

$(VENV)/.installed: pyproject.toml requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip>=24"
	$(PY) -m pip install --quiet -c requirements.lock -e ".[test]"
	touch $@

setup: $(VENV)/.installed
	mkdir -p var
	$(MAKE) --no-print-directory compilemessages

compilemessages: $(VENV)/.installed
	$(MANAGE) compilemessages --ignore=".venv" --ignore="var" -v0

migrate: setup
	$(MANAGE) migrate --noinput -v0

demo: migrate
	$(MANAGE) load_demo

# Serve the portal with a background-task worker beside it; Ctrl-C stops both.
run: demo
	@$(MANAGE) run_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	echo "Esplora Lavoro: http://$(HOST):$(PORT)/  (English: /en/, admin: /admin/)"; \
	$(MANAGE) runserver $(HOST):$(PORT)

worker: migrate
	$(MANAGE) run_worker

# axe-core (package-lock.json) for the accessibility browser test; without npm the
# test skips saying why, in CI it is required.
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --silent && touch $@; \
	elif [ -n "$$CI" ]; then echo "npm is required in CI (axe-core for tests/browser/test_axe.py)"; exit 1; \
	else echo "npm not found: tests/browser/test_axe.py will be skipped"; fi

setup-test: setup node_modules/.installed

test: setup-test
	$(BIN)/pytest

# The production stack on this machine (deploy/stack/stack.py): PostgreSQL, Redis
# and the RQ worker, gunicorn with portal.settings.production, Debian's nginx on
# 80/443 with the shipped deploy/nginx files and a self-signed esplora.test
# certificate, an SMTP capture in var/stack/mail. Needs root (ports 80 and 443).
stack: setup
	$(PY) deploy/stack/stack.py up

stop-stack:
	$(PY) deploy/stack/stack.py down

# The journeys through the stack; it is stopped whatever their outcome, and its
# logs stay in var/stack/logs (their tails are printed when something fails).
test-stack: setup
	deploy/stack/test-stack.sh $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Needs GNU gettext (xgettext); Italian translations live in locale/it.
messages: $(VENV)/.installed
	$(MANAGE) makemessages -l it --ignore=".venv/*" --ignore="var/*" --ignore="tests/*" --ignore="benchmarks/*" --ignore="node_modules/*" --no-obsolete

bench: migrate
	$(PY) benchmarks/run.py

clean:
	rm -rf var .pytest_cache .ruff_cache
