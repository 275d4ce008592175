# Everything runs inside .venv, which `make install` creates and keeps up to date.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
SHARED ?= ../shared
EVAL_DIR := $(SHARED)/eval

.PHONY: install run test lint eval bench clean

install: $(STAMP)

# Reinstalls only when pyproject.toml changed since the last install.
$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

run: install
	$(VENV)/bin/briefbot run

test: install
	$(PY) -m pytest

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

eval: install
	$(PY) bench/eval.py --shared $(SHARED) $(ONLY)

bench: install
	$(PY) bench/run_all.py $(ONLY)

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
