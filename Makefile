# Notice Board. `make build` sets everything up and builds the example site; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: build test test-fast test-future check serve bench clean distclean browser messages docs

build: $(STAMP)
	$(PY) build.py build

test: $(STAMP)
	$(PY) -m pytest

# The quick tier while working, about a minute: no browser tests and none marked slow (pyproject.toml says which).
test-fast: $(STAMP)
	$(PY) -m pytest -m "not browser and not slow"

# The suite again with the clock a year ahead (Debian's faketime; CI runs it after `make test`): a test that
# depends on the calendar fails now, not on the day the calendar reaches it. `make test-future FUTURE=+730d`.
# For Python only the wall clock moves (a monotonic clock a year ahead makes each timed wait of a thread, a
# queue's or a lock's, wait a year); Chromium spins when its wall and monotonic clocks disagree by a year, so
# the browser tests run with both moved. tests/faketime/sitecustomize.py mends libfaketime's time.sleep in every
# Python process of the run.
FUTURE ?= +365d
test-future: $(STAMP)
	command -v faketime >/dev/null || { echo "test-future needs faketime: apt-get install faketime" >&2; exit 2; }
	PYTHONPATH=$(CURDIR)/tests/faketime faketime --exclude-monotonic -f '$(FUTURE)' $(PY) -m pytest -m "not browser"
	PYTHONPATH=$(CURDIR)/tests/faketime faketime -f '$(FUTURE)' $(PY) -m pytest -m browser

check: $(STAMP)
	$(PY) build.py check

serve: $(STAMP)
	$(PY) build.py serve

# Build speed against a naive pipeline, in one run: `make bench NOTICES=10000` for a state hub's size.
NOTICES ?= 1000
RUNS ?= 3
bench: $(STAMP)
	$(PY) bench/benchmark.py --notices $(NOTICES) --runs $(RUNS)

# Interface text: extract it from code and templates, then merge it into every language's catalog.
LOCALE := noticeboard/locale
messages: $(STAMP)
	$(VENV)/bin/pybabel extract --mapping-file babel.cfg --add-comments Translators: --sort-by-file \
		--no-wrap --project "Notice Board" --output-file $(LOCALE)/messages.pot .
	$(VENV)/bin/pybabel update --input-file $(LOCALE)/messages.pot --output-dir $(LOCALE) \
		--no-wrap --ignore-obsolete

# The documentation site, from docs/ with Sphinx and MyST; any warning is an error (as in tests/test_docs.py).
DOCS_OUT ?= docs/_build/html
docs: $(STAMP)
	$(PY) -m sphinx -W --keep-going -n -q -b html docs $(DOCS_OUT)
	@echo "Open $(DOCS_OUT)/index.html"

# The browser tests need Debian's chromium (they are skipped without it, except under CI=true).
browser:
	command -v chromium >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

clean:
	rm -rf site .pytest_cache docs/_build
	find . -name __pycache__ -type d -prune -not -path './$(VENV)/*' -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) *.egg-info
