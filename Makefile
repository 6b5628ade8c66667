# Every target bootstraps what it needs: a fresh clone needs only python3 (>= 3.11) and make.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: install check lint test test-fast hooks demo run bench clean locales

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is required"'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $@

# The virtual environment with the bot and its dependencies (what a server needs).
install: $(STAMP)

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

# The suite runs on SQLite, and on PostgreSQL as well when a server answers (TEST_POSTGRES_URL,
# or postgres@127.0.0.1:5432 by default); the tests of several replicas need Redis too
# (TEST_REDIS_URL, or 127.0.0.1:6379 by default) and PostgreSQL for the end-to-end one.
test: check
	@pg="$$($(BIN)/python -m tests.pg_probe)"; redis="$$($(BIN)/python -m tests.redis_probe)"; \
	if [ -n "$$pg" ]; then echo "PostgreSQL answers at $$pg: database tests run on SQLite and PostgreSQL"; \
	else echo "No PostgreSQL server: database tests run on SQLite only"; fi; \
	if [ -n "$$redis" ]; then echo "Redis answers at $$redis: replica tests run"; \
	else echo "No Redis server: the tests of several replicas are skipped"; fi; \
	TEST_POSTGRES_URL="$$pg" TEST_REDIS_URL="$$redis" $(BIN)/pytest -q

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
