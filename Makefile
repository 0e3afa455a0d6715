# Two entry points a new user needs:
#   make demo   set up, then summarize the bundled example article (offline engine, no model needed)
#   make test   set up (incl. headless Chromium for the HTML-report test, redis-server and
#               PostgreSQL for the scale-out tests), then run the whole suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
EXAMPLE := examples/tongzhou_2025-12-13_scraped.txt

.PHONY: setup demo test lint bench browser services clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

demo: setup
	$(BIN)/summarizer summarize $(EXAMPLE) --format markdown

# The HTML report is checked in a real headless browser: Debian's chromium package.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the HTML report test"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; }

# The scaled-out service is tested against real servers: Debian's redis-server and postgresql.
# The tests start their own on free loopback ports (PostgreSQL as the postgres user) and stop them.
services:
	@{ command -v redis-server >/dev/null 2>&1 && ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; } || { \
	  echo "installing Debian's redis-server and postgresql for the scale-out tests"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq redis-server postgresql >/dev/null; }

test: setup browser services
	$(BIN)/python -m pytest -q

lint: setup
	$(BIN)/ruff check summarizer tests benchmarks tools
	$(BIN)/ruff format --check summarizer tests benchmarks tools
	$(BIN)/mypy

bench: setup
	for script in benchmarks/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
