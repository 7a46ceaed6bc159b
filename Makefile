# Two commands on a fresh machine: `make run` (demo on SQLite) and `make test` (the whole suite).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PG_URL ?= postgres://postgres@127.0.0.1:5432/improvement
# `make run PORT=8123` when 8000 is taken.
PORT ?= 8000

.PHONY: run serve worker test bench install install-dev lint clean

$(VENV)/bin/activate:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/activate
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(VENV)/bin/activate
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# A laptop: DEBUG on (laptop key, local hosts, plain http), SQLite unless DATABASE_URL says otherwise.
run: export DEBUG = 1
run: install
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_demo --current
	@echo
	@echo "Demo logins (password 'demo' for each): admin, manager, board, viewer"
	@echo "Open http://127.0.0.1:$(PORT)/"
	@echo
	@# The board pack worker runs in the background and stops with the server (Ctrl-C).
	$(PY) manage.py worker --no-reload & WORKER=$$!; \
	trap 'kill $$WORKER 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# Production, one command per process (settings from the environment: SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL...;
# run `manage.py migrate` once per release first). The app under gunicorn (gunicorn.conf.py), and the worker.
serve: install
	$(PY) manage.py collectstatic --no-input -v0
	$(VENV)/bin/gunicorn -c gunicorn.conf.py

worker: install
	$(PY) manage.py worker

# The suite runs on SQLite and, when a server answers, on PostgreSQL (CI requires it). The two runs go side by side,
# one per core, each with its own log (printed whole when the run ends) and media folder; either failing fails the target.
# (Commands started with & ignore Ctrl-C in a script: the trap stops both runs.)
test: install-dev
	$(VENV)/bin/ruff check .
	@if $(PY) -c "import psycopg,sys; psycopg.connect('postgresql://postgres@127.0.0.1:5432/postgres', connect_timeout=3).close()" 2>/dev/null; then \
		logs=$$(mktemp -d); echo "== SQLite and PostgreSQL side by side (logs in $$logs)"; \
		MEDIA_ROOT=$$logs/media-sqlite $(VENV)/bin/pytest -q > $$logs/sqlite.log 2>&1 & sqlite=$$!; \
		MEDIA_ROOT=$$logs/media-postgresql DATABASE_URL=$(PG_URL) $(VENV)/bin/pytest -q > $$logs/postgresql.log 2>&1 & postgresql=$$!; \
		trap 'kill $$sqlite $$postgresql 2>/dev/null; exit 130' INT TERM; \
		wait $$sqlite; sqlite_status=$$?; echo "== SQLite"; cat $$logs/sqlite.log; \
		wait $$postgresql; postgresql_status=$$?; echo "== PostgreSQL"; cat $$logs/postgresql.log; \
		echo "== SQLite: exit $$sqlite_status, PostgreSQL: exit $$postgresql_status"; \
		[ $$sqlite_status -eq 0 ] && [ $$postgresql_status -eq 0 ]; \
	elif [ -n "$$CI" ]; then echo "PostgreSQL is not reachable on 127.0.0.1:5432"; exit 1; \
	else echo "== PostgreSQL not reachable: suite runs on SQLite only"; $(VENV)/bin/pytest -q; fi

# Speed figures against their floors and aims (issue 20), one table; run on a quiet machine.
# `make bench ONLY=dashboard` runs one. PostgreSQL: `make bench DATABASE_URL=postgres://...`.
bench: install-dev
	cd bench && ../$(PY) aims.py $(ONLY)

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

clean:
	rm -rf $(VENV) db.sqlite3 media
