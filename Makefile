# Diagnostic numérique responsable (SNR) — every user story is one target. `make help` lists them.
PYTHON    ?= python3
VENV      ?= .venv
PY        := $(VENV)/bin/python
UV_VERSION := 0.13.9
# One variable names the territory, for every target: TERRITORY. SLUG (the name make new-territory used to take)
# is kept as its alias. Whether TERRITORY was given (command line or environment) is read before its default.
_TERRITORY_GIVEN := $(filter-out undefined default,$(origin TERRITORY))
TERRITORY ?= la-rochelle
SEED      ?= 20200101
DRAWS     ?= 10000
SLUG      ?=
SAMPLE    ?=
,         := ,
N         ?= 8
MODE      ?= summary
TERRITORIES ?=
FILES     ?=
PREVIOUS  ?=
ANNEXES   ?=
SCHEDULER ?=
WORKERS   ?= 2

export PYTHONHASHSEED := 0
export SOURCE_DATE_EPOCH := 0

# Run parameters are data, never code (issue 31): make neither expands them (their text is taken with $(value),
# and they are not exported, which would expand them) nor lets a shell parse them. Each is checked against the
# characters it may hold before any recipe runs, then passed to Python as one single-quoted argument; Python
# checks the value itself (French messages). `make study "TERRITORY=x; touch F; echo"` runs nothing.
PARAMETERS := TERRITORY SEED DRAWS SLUG N MODE TERRITORIES SCHEDULER WORKERS SAMPLE FILES PREVIOUS ANNEXES
unexport $(PARAMETERS)
_lower  := a b c d e f g h i j k l m n o p q r s t u v w x y z
_upper  := A B C D E F G H I J K L M N O P Q R S T U V W X Y Z
_digits := 0 1 2 3 4 5 6 7 8 9
# $(call _strip,text,characters): text without those characters (the text is never expanded again)
_strip = $(if $(2),$(call _strip,$(subst $(firstword $(2)),,$(1)),$(wordlist 2,999,$(2))),$(1))
# $(call _check,NAME,allowed characters,what in French): the raw text of NAME, or a French error
_check = $(if $(or $(call _strip,$(value $(1)),$(2)),$(word 2,$(value $(1)))),$(error \
  Paramètre refusé, rien n'a été exécuté : $(1)='$(value $(1))' ; attendu $(3)),$(value $(1)))
_slug_text   := un identifiant de territoire (lettres minuscules$(,) chiffres et -$(,) par ex. la-rochelle)
_TERRITORY   := $(call _check,TERRITORY,$(_lower) $(_digits) -,$(_slug_text))
_SLUG        := $(call _check,SLUG,$(_lower) $(_digits) -,$(_slug_text))
ifneq ($(_SLUG),)
  ifneq ($(and $(_TERRITORY_GIVEN),$(filter-out $(_SLUG),$(_TERRITORY))),)
    $(error Paramètres refusés, rien n'a été exécuté : TERRITORY='$(_TERRITORY)' et SLUG='$(_SLUG)' nomment deux \
      territoires ; SLUG est l'ancien nom de TERRITORY : n'en donnez qu'un)
  endif
  _TERRITORY := $(_SLUG)
endif
# the territory make new-territory creates: always named, never the default
_NEW_TERRITORY := $(if $(or $(_TERRITORY_GIVEN),$(_SLUG)),$(_TERRITORY))
_SEED        := $(call _check,SEED,$(_digits),un nombre entier)
_DRAWS       := $(call _check,DRAWS,$(_digits),un nombre entier de tirages)
_N           := $(call _check,N,$(_digits),un nombre entier)
_WORKERS     := $(call _check,WORKERS,$(_digits),un nombre entier)
_SAMPLE      := $(call _check,SAMPLE,$(_digits),un nombre entier)
_ANNEXES     := $(call _check,ANNEXES,$(_digits),1 pour joindre les annexes au PDF)
_MODE        := $(call _check,MODE,$(_lower),summary ou full)
_TERRITORIES := $(call _check,TERRITORIES,$(_lower) $(_digits) - $(,),des identifiants séparés par des virgules)
_FILES       := $(call _check,FILES,$(_lower) $(_digits) _ $(,),des noms de fichiers séparés par des virgules (par ex. hosting$(,)telecom) ou all)
_PREVIOUS    := $(call _check,PREVIOUS,$(_lower) $(_upper) $(_digits) - _ . /,le dossier publié de l'étude de l'an dernier (par ex. outputs/la-rochelle))
_SCHEDULER   := $(call _check,SCHEDULER,$(_lower) $(_upper) $(_digits) - . _ : / [ ],une adresse tcp://hôte:port)

.DEFAULT_GOAL := help
.PHONY: help setup study test lint lab new-territory batch synth bench crosscheck mutate lock clean shots pdf

help: ## list the targets
	@echo "Usage: make <target> [TERRITORY=la-rochelle] (SLUG=... : ancien nom de TERRITORY, accepté)"
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

setup: $(VENV)/.installed ## create .venv with the locked environment (needs only python3)

$(VENV)/.installed: requirements.lock pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install -q --disable-pip-version-check uv==$(UV_VERSION) \
	  && $(VENV)/bin/uv pip install -q --compile-bytecode --python $(PY) -r requirements.lock -e . \
	  || $(PY) -m pip install -q --disable-pip-version-check -r requirements.lock -e .
	@touch $@
	@echo "Environment ready in $(VENV)/"

study: setup ## run the whole study for TERRITORY (default la-rochelle) and publish outputs/TERRITORY/diagnostic.html [PREVIOUS=outputs/<last year>]
	@$(PY) -m helpers.run.cli study --territory '$(_TERRITORY)' --seed '$(_SEED)' --draws '$(_DRAWS)' \
	  $(if $(_PREVIOUS),--previous '$(_PREVIOUS)')

test: setup lint ## run the test suite (unit, end-to-end papermill chain, regression)
	@$(PY) -m pytest

lint: setup ## ruff on src/, tests/ and the notebooks; no function of src/ over 60 lines or complexity 12
	@$(VENV)/bin/ruff check src tests notebooks tools bench
	@$(PY) tools/check_functions.py src

lab: setup ## open JupyterLab on notebooks/ with the project's kernel (--allow-root when run as root, e.g. in a container)
	@$(VENV)/bin/jupyter lab notebooks/ $$(test "$$(id -u)" = 0 && echo --allow-root)

new-territory: setup ## create data/raw/TERRITORY/ for a first run (make new-territory TERRITORY=ma-commune [FILES=hosting,telecom|all]; SLUG= also accepted)
	@test -n '$(_NEW_TERRITORY)' || (echo "Usage : make new-territory TERRITORY=ma-commune [FILES=hosting,telecom|all]" && exit 2)
	@$(PY) -m helpers.run.cli new-territory '$(_NEW_TERRITORY)' $(if $(_FILES),--files '$(_FILES)')

batch: setup ## study of many territories on Dask (MODE=summary|full, TERRITORIES=a,b, SCHEDULER=tcp://host:port)
	@$(PY) -m helpers.run.batch --mode '$(_MODE)' --workers '$(_WORKERS)' --seed '$(_SEED)' --draws '$(_DRAWS)' \
	  $(if $(_TERRITORIES),--territories '$(_TERRITORIES)') $(if $(_SCHEDULER),--scheduler '$(_SCHEDULER)')

synth: setup ## generate N seeded synthetic territories in data/raw/synth-*/ (make synth N=20)
	@$(PY) -m helpers.run.synth --n '$(_N)' --seed 1 --clean

bench: setup ## benchmarks (engine scaling, per-device loop ratio, study wall time, batch throughput) to outputs/bench/
	@$(PY) bench/run.py

shots: setup ## screenshots of the published diagnostic at phone (390 px) and desktop (1280 px) widths, in outputs/screenshots/
	@$(PY) -m helpers.report.browser shots --territory '$(_TERRITORY)'

pdf: setup ## A4 PDF of the published diagnostic (outputs/TERRITORY/diagnostic.pdf; ANNEXES=1: with its annex, diagnostic-et-annexes.pdf)
	@$(PY) -m helpers.report.browser pdf --territory '$(_TERRITORY)' $(if $(_ANNEXES),--annexes)

crosscheck: setup ## compare the engine with boaviztapi (separate AGPL environment .venv-boavizta)
	@$(PY) tools/boavizta_crosscheck.py

mutate: setup ## mutation testing (mutmut) of the model's computation code: outputs/mutation/report.json (not in make test)
	@$(PY) tools/mutate.py $(if $(_SAMPLE),--sample '$(_SAMPLE)')

lock: setup ## re-pin requirements.lock from pyproject.toml
	@$(VENV)/bin/uv pip compile pyproject.toml --extra lab --extra dev --python-version 3.11 --universal -q -o requirements.lock

clean: ## remove build products (data/processed, outputs); never touches data/raw
	rm -rf data/processed/* outputs/* outputs/.generations outputs/.failed
