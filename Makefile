# Two commands do all set-up: `make run` (process seeds/) and `make test`.
# Both install newsdag (pinned in pyproject.toml) into the active Python first;
# activate a virtual environment beforehand if you want it isolated.
PYTHON ?= python3
PIP = $(PYTHON) -m pip install --disable-pip-version-check --quiet

.PHONY: install install-test run test bench

install:
	$(PIP) -e .
	@command -v pyenv >/dev/null 2>&1 && pyenv rehash || true

install-test:
	$(PIP) -e '.[test]'
	@command -v pyenv >/dev/null 2>&1 && pyenv rehash || true

run: install
	$(PYTHON) -m newsdag run seeds

test: install-test
	$(PYTHON) -m pytest

bench: install
	$(PYTHON) benchmarks/quotes_polnear.py
	$(PYTHON) benchmarks/ner_conll.py
