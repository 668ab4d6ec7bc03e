# Dangjian — `make run` for the demo, `make test` for the whole suite (see README.md)
SHELL := /bin/bash
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PYTHON := $(BIN)/python
MANAGE := $(PYTHON) manage.py
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
PORT ?= 8000

.PHONY: run setup assets migrate demo worker serve test test-pg lint format browser-deps bench clean

$(BIN)/uv:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check uv==0.13.9

$(VENV)/.installed: requirements.lock $(BIN)/uv
	$(BIN)/uv pip install -q --python $(PYTHON) --require-hashes -r requirements.lock
	touch $@

setup: $(VENV)/.installed

node_modules/.installed: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

assets: node_modules/.installed setup
	$(PYTHON) scripts/build_assets.py

migrate: setup
	$(MANAGE) migrate --noinput -v 0

demo: migrate
	$(MANAGE) demo --scale county --seed 1

# web server, background worker and the hourly reminders together; Ctrl-C stops all three
# (reminders are idempotent: a notice already sent is not sent again, so hourly is harmless)
run: assets demo
	@$(MANAGE) demo_logins
	@echo "党建督导平台: http://127.0.0.1:$(PORT)/"
	@trap 'kill 0' EXIT INT TERM; \
	  $(MANAGE) db_worker --interval 1 & \
	  while true; do $(MANAGE) reminders || true; sleep 3600; done & \
	  $(BIN)/gunicorn dangjian.wsgi -b 127.0.0.1:$(PORT) -w $$(nproc) -k sync --access-logfile - ; \
	  wait

worker: setup
	$(MANAGE) db_worker

browser-deps:
	@if [ ! -x /usr/bin/chromium ]; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	fi
	@fc-list 2>/dev/null | grep -qi 'noto.*cjk' || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk >/dev/null) || true

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy dangjian
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: assets browser-deps lint
	DANGJIAN_TESTING=1 $(BIN)/pytest -q -p no:randomly

test-pg: assets browser-deps
	DANGJIAN_TESTING=1 DATABASE_URL=$(PG_URL) $(BIN)/pytest -q

bench: assets
	$(PYTHON) bench/run.py

clean:
	rm -rf $(VENV) node_modules dangjian/static/vendor staticfiles
