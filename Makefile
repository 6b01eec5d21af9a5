# Two commands on a fresh machine with Python 3.11+: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
export FLASK_APP := intake

.PHONY: run serve test install install-test catalogues db demo check lint extract readings clean bench

$(BIN)/flask:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .

install: $(BIN)/flask

install-test: install
	$(BIN)/pip install --quiet -e '.[test]'

catalogues: install
	$(BIN)/flask intake i18n compile

# Migrations own the schema (migrations/README); safe to repeat.
db: install
	$(BIN)/flask db upgrade

run: catalogues db
	@$(BIN)/flask intake demo
	@echo ""
	@echo "  Kiosk:      http://127.0.0.1:$(PORT)/kiosk/"
	@echo "  Caseworker: http://127.0.0.1:$(PORT)/caseworker/"
	@echo ""
	$(BIN)/flask run --host 127.0.0.1 --port $(PORT)

# Several workers, as an office runs it (docs/deployment.md); set YORISOI_SECRET_KEY and DATABASE_URL.
serve: catalogues db
	$(BIN)/gunicorn --workers $${WORKERS:-4} --bind 127.0.0.1:$(PORT) 'intake:create_app()'

test: install-test catalogues
	$(BIN)/pytest

# Benchmarks, not tests: see bench/README.md. BENCH_ARGS="--kiosks 32" to change the load.
bench: install-test catalogues
	$(BIN)/python bench/widget_size.py
	$(BIN)/python bench/load.py $(BENCH_ARGS)
	$(BIN)/python bench/engine.py
	$(BIN)/python bench/queue.py

lint: install-test
	$(BIN)/ruff check intake tests

extract: install
	$(BIN)/flask intake i18n extract
	$(BIN)/flask intake i18n update

# Furigana proposals for new or changed Japanese text (needs the analyser: the translators extra).
readings: install
	$(BIN)/pip install --quiet -e '.[translators]'
	$(BIN)/flask intake i18n readings

check: install
	$(BIN)/flask intake dialogue check
	$(BIN)/flask intake i18n check
