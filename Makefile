# Counter Operations — the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
APPS := staff billing complaints safety

.PHONY: help install run test test-postgres lint format messages bench check-deploy clean

help:
	@echo "make run    - install into $(VENV), prepare the SQLite database with demo data, start on http://127.0.0.1:8000 (with the background worker)"
	@echo "make test   - install and run the whole test suite (SQLite; set DATABASE_URL for PostgreSQL)"
	@echo "make lint   - ruff check and format check, migrations check"
	@echo "make bench  - the benchmarks under bench/, or BENCH_ARGS=billing (needs PostgreSQL, see README)"

# Re-install whenever pyproject.toml changes.
$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed

# The background worker (bills imports) runs beside the server and stops with it. Without
# autoreload: its reloader would leave a child behind when stopped; restart `make run` after
# changing a task.
run: install
	$(PY) manage.py migrate --noinput --verbosity 0
	$(PY) manage.py seed_demo --if-empty
	@echo
	@echo "Counter Operations is starting on http://127.0.0.1:8000/ with its background worker (Ctrl+C stops both)"
	@$(PY) manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:8000

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

format: install
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

# Collect translatable strings (each app keeps its own catalogue in <app>/locale; templates/
# and config/ use locale/), then compile them. Fill in the new msgstr entries before committing.
messages: install
	mkdir -p $(foreach app,$(APPS),$(app)/locale)
	$(PY) manage.py makemessages -l zh_Hans --no-obsolete --no-location -i '.venv/*' -i 'tests/*' -i 'bench/*'
	$(PY) manage.py compilemessages --ignore=.venv

check-deploy: install
	DJANGO_SETTINGS_MODULE=config.settings.production SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(64))')" \
	  ALLOWED_HOSTS=counterops.example $(PY) manage.py check --deploy --fail-level WARNING

# Every benchmark, each in a process of its own (they run under different settings), or those
# named: make bench BENCH_ARGS="billing counter_browser". PostgreSQL (BENCH_DATABASE_URL) and,
# for counter_browser, /usr/bin/chromium; README's "Benchmarks" says what each measures.
bench: install
	$(PY) -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
