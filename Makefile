# Two commands on a fresh machine with Python 3.11+: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
export FLASK_APP := intake

.PHONY: run test install install-test catalogues db demo check lint extract readings clean bench

$(BIN)/flask:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .

install: $(BIN)/flask

install-test: install
	$(BIN)/pip install --quiet -e '.[test]'

catalogues: install
	$(BIN)/flask intake i18n compile

db: install
	$(BIN)/flask intake init-db

run: catalogues db
	@$(BIN)/flask intake demo
	@echo ""
	@echo "  Kiosk:      http://127.0.0.1:$(PORT)/kiosk/"
	@echo "  Caseworker: http://127.0.0.1:$(PORT)/caseworker/"
	@echo ""
	$(BIN)/flask run --host 127.0.0.1 --port $(PORT)

test: install-test catalogues
	$(BIN)/pytest

bench: install
	$(BIN)/python bench/widget_size.py

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
