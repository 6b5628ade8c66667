# Every target bootstraps what it needs: a fresh clone needs only python3 (>= 3.11) and make.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
# Closed networks: `make wheelhouse` on a connected machine (same OS and Python) fills
# ./wheelhouse; copied with the checkout, `make install` then installs from it with no index.
WHEELHOUSE := wheelhouse
PIP_FROM   := $(if $(wildcard $(WHEELHOUSE)/*.whl),--no-index --find-links $(WHEELHOUSE),)

.PHONY: wheelhouse install check lint test test-fast hooks demo run bench clean locales office

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is required"'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet $(PIP_FROM) --upgrade pip
	$(BIN)/python -m pip install --quiet $(PIP_FROM) -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $@

# The virtual environment with the bot and its dependencies (what a server needs).
install: $(STAMP)

# Every wheel `make install` needs (the build tools included), for a machine with no internet.
wheelhouse: $(STAMP)
	$(BIN)/python -m pip download --quiet --dest $(WHEELHOUSE) pip 'setuptools>=69' wheel
	$(BIN)/python -m pip wheel --quiet --wheel-dir $(WHEELHOUSE) '.[dev]'

# The inner loop, well under a minute: lint, format, types and the import contracts.
check: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

lint: check

# Every test that runs in the test process, on SQLite (Redis when one answers), on both cores:
# not tests/e2e, not the command line's own processes (marked `process`), not PostgreSQL.
test-fast: $(STAMP)
	@redis="$$($(BIN)/python -m tests.redis_probe)"; \
	TEST_POSTGRES_URL= TEST_REDIS_URL="$$redis" \
	    $(BIN)/pytest -q -n 2 -m "not process" --ignore=tests/e2e

# ruff's lint and format check before every commit (.pre-commit-config.yaml).
hooks: $(STAMP)
	$(BIN)/pre-commit install

# The suite runs on both cores (pytest-xdist; worksteal keeps the long process tests from
# piling up on one worker) and prints its slowest tests. It runs on SQLite, and on PostgreSQL as well when a server answers (TEST_POSTGRES_URL,
# or postgres@127.0.0.1:5432 by default); the tests of several replicas need Redis too
# (TEST_REDIS_URL, or 127.0.0.1:6379 by default) and PostgreSQL for the end-to-end one.
# The office suite the tests open the bot's files in (tests/office_suite.py): LibreOffice and
# poppler's pdftotext, installed with apt when missing and root (or sudo without a password) is
# at hand; otherwise it says so, and those tests fail naming what to install.
# The fonts a department's office suite draws with: Liberation Serif has Times New Roman's
# metrics (the report), Carlito Calibri's (every .xlsx); without them LibreOffice falls back to
# the wider DejaVu and the pages measured are not the pages a department prints.
OFFICE_PACKAGES := libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils fonts-liberation fonts-crosextra-carlito
office:
	@if command -v soffice >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1 \
	    && fc-list : family | grep -q "Liberation Serif" && fc-list : family | grep -q Carlito; then \
	    echo "LibreOffice, pdftotext and the fonts found: files are checked as an office suite renders them"; \
	elif [ "$$(id -u)" = 0 ]; then \
	    echo "Installing $(OFFICE_PACKAGES)"; \
	    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $(OFFICE_PACKAGES); \
	elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then \
	    echo "Installing $(OFFICE_PACKAGES) with sudo"; \
	    sudo apt-get update -q && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $(OFFICE_PACKAGES); \
	else \
	    echo "LibreOffice (soffice), pdftotext or their fonts are missing and cannot be installed here (no root, no sudo):"; \
	    echo "the office-suite tests will fail. As root: apt-get install $(OFFICE_PACKAGES)"; \
	fi

test: check office
	@pg="$$($(BIN)/python -m tests.pg_probe)"; redis="$$($(BIN)/python -m tests.redis_probe)"; \
	if [ -n "$$pg" ]; then echo "PostgreSQL answers at $$pg: database tests run on SQLite and PostgreSQL"; \
	else echo "No PostgreSQL server: database tests run on SQLite only"; fi; \
	if [ -n "$$redis" ]; then echo "Redis answers at $$redis: replica tests run"; \
	else echo "No Redis server: the tests of several replicas are skipped"; fi; \
	TEST_POSTGRES_URL="$$pg" TEST_REDIS_URL="$$redis" $(BIN)/pytest -q -n 2 --dist worksteal --durations=15

demo: $(STAMP)
	$(BIN)/python -m demo

run: $(STAMP)
	$(BIN)/roadmap-bot run

bench: $(STAMP)
	$(BIN)/python -m bench

# Re-extract user-visible strings and merge them into the catalogs (then translate the new entries).
locales: $(STAMP)
	$(BIN)/pybabel extract --sort-output -k _ -k __ -k N_ -k lazy_gettext \
	    -o locales/messages.pot bot cli messengers handlers scheduler storage formats domain
	$(BIN)/pybabel update --no-fuzzy-matching --ignore-obsolete \
	    -i locales/messages.pot -d locales -D messages

# What the tools rebuild; never data/ (the database, evidence files and backups) nor .env.
clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
