# Diagnostic numérique responsable (SNR) — every user story is one target. `make help` lists them.
PYTHON    ?= python3
VENV      ?= .venv
PY        := $(VENV)/bin/python
UV_VERSION := 0.13.9
TERRITORY ?= la-rochelle
SEED      ?= 20200101
DRAWS     ?= 10000
SLUG      ?=
N         ?= 8
MODE      ?= summary
TERRITORIES ?=
FILES     ?=
ANNEXES   ?=
SCHEDULER ?=
WORKERS   ?= 2

export PYTHONHASHSEED := 0
export SOURCE_DATE_EPOCH := 0

.DEFAULT_GOAL := help
.PHONY: help setup study test lint lab new-territory batch synth bench crosscheck mutate lock clean shots pdf

help: ## list the targets
	@echo "Usage: make <target> [TERRITORY=la-rochelle] [SLUG=...]"
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

setup: $(VENV)/.installed ## create .venv with the locked environment (needs only python3)

$(VENV)/.installed: requirements.lock pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install -q --disable-pip-version-check uv==$(UV_VERSION) \
	  && $(VENV)/bin/uv pip install -q --compile-bytecode --python $(PY) -r requirements.lock -e . \
	  || $(PY) -m pip install -q --disable-pip-version-check -r requirements.lock -e .
	@touch $@
	@echo "Environment ready in $(VENV)/"

study: setup ## run the whole study for TERRITORY (default la-rochelle) and publish outputs/TERRITORY/diagnostic.html
	@$(PY) -m helpers.run.cli study --territory $(TERRITORY) --seed $(SEED) --draws $(DRAWS)

test: setup lint ## run the test suite (unit, end-to-end papermill chain, regression)
	@$(PY) -m pytest

lint: setup ## ruff on src/, tests/ and the notebooks
	@$(VENV)/bin/ruff check src tests notebooks tools bench

lab: setup ## open JupyterLab on notebooks/ with the project's kernel (--allow-root when run as root, e.g. in a container)
	@$(VENV)/bin/jupyter lab notebooks/ $$(test "$$(id -u)" = 0 && echo --allow-root)

new-territory: setup ## create data/raw/SLUG/ for a first run (make new-territory SLUG=ma-commune [FILES=hosting,telecom|all])
	@test -n "$(SLUG)" || (echo "Usage: make new-territory SLUG=ma-commune [FILES=hosting,telecom|all]" && exit 2)
	@$(PY) -m helpers.run.cli new-territory $(SLUG) $(if $(FILES),--files $(FILES))

batch: setup ## study of many territories on Dask (MODE=summary|full, TERRITORIES=a,b, SCHEDULER=tcp://host:port)
	@$(PY) -m helpers.run.batch --mode $(MODE) --workers $(WORKERS) --seed $(SEED) --draws $(DRAWS) \
	  $(if $(TERRITORIES),--territories $(TERRITORIES)) $(if $(SCHEDULER),--scheduler $(SCHEDULER))

synth: setup ## generate N seeded synthetic territories in data/raw/synth-*/ (make synth N=20)
	@$(PY) -m helpers.run.synth --n $(N) --seed 1 --clean

bench: setup ## benchmarks (engine scaling, per-device loop ratio, study wall time, batch throughput) to outputs/bench/
	@$(PY) bench/run.py

shots: setup ## screenshots of the published diagnostic at phone (390 px) and desktop (1280 px) widths, in outputs/screenshots/
	@$(PY) -m helpers.report.browser shots --territory $(TERRITORY)

pdf: setup ## A4 PDF of the published diagnostic (outputs/TERRITORY/diagnostic.pdf; ANNEXES=1: with its annex, diagnostic-et-annexes.pdf)
	@$(PY) -m helpers.report.browser pdf --territory $(TERRITORY) $(if $(ANNEXES),--annexes)

crosscheck: setup ## compare the engine with boaviztapi (separate AGPL environment .venv-boavizta)
	@$(PY) tools/boavizta_crosscheck.py

mutate: setup ## mutation testing (mutmut) of the model's computation code: outputs/mutation/report.json (not in make test)
	@$(PY) tools/mutate.py $(if $(SAMPLE),--sample $(SAMPLE))

lock: setup ## re-pin requirements.lock from pyproject.toml
	@$(VENV)/bin/uv pip compile pyproject.toml --extra lab --extra dev --python-version 3.11 --universal -q -o requirements.lock

clean: ## remove build products (data/processed, outputs); never touches data/raw
	rm -rf data/processed/* outputs/* outputs/.generations outputs/.failed
