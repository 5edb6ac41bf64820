# framing: every set-up step lives here. Needs only python3.11, pip and make.
#   make report   build the environment from uv.lock, run every notebook, write reports/index.html
#   make test     the whole test suite, in the same environment, two test files at a time [TEST_JOBS=2]
#   make lab      JupyterLab on the project [PORT=8888] [LAB_ARGS="--ip=0.0.0.0 …"]
# Run the report on another corpus:  make report CORPUS=path/to/corpus [OUTLETS="A,B"] [BY=bias_text] [TOP_OUTLETS=8]
#   it goes to $(REPORTS)/<corpus-name>/ (REPORTS=reports by default; OUT=folder to choose it)
#   make analyze CORPUS=corpus/allsides.toml TABLES=tables/allsides   every table as Parquet and CSV
#   make bench-pipeline   the whole-analysis benchmark on the shared AllSides corpus
#   make bench-report     the whole report against framing analyze (AllSides, six outlets)
#   make bench-events     within-event contrasts, article-level intervals, permutation keyness (AllSides)
#   make bench-many       the report on 5,000 made-up outlets against framing analyze (memory)

PYTHON ?= python3.11
TOOLS  := .tools
UV     := $(TOOLS)/bin/uv
VENV   := .venv
PY     := $(VENV)/bin/python
CORPUS ?= corpus/xi-putin-moscow-2023
REPORTS ?= reports
OUT ?=
PORT ?= 8888
LAB_ARGS ?=
OUTLETS ?=
BY ?=
TOP_OUTLETS ?=
TABLES ?= tables
# test files run two at a time (pytest-xdist; one file stays on one worker, so a module's
# fixtures are built once); TEST_JOBS=0 runs them in this process
TEST_JOBS ?= 2

# uv must use the system Python 3.11 and never download an interpreter.
export UV_PYTHON := $(shell command -v $(PYTHON))
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)
export UV_NO_PROGRESS := 1
# disk cache for expensive results (sentence scores …), cleared by `make clean-cache`
export FRAMING_CACHE ?= $(CURDIR)/.cache/framing
export PYDEVD_DISABLE_FILE_VALIDATION := 1

.PHONY: env report test lab lint format strip clean clean-reports clean-cache cache-clear check-python analyze bench-pipeline bench-terms bench-sentiment bench-frames bench-quotes bench-report bench-events bench-many

check-python:
	@test -n "$(UV_PYTHON)" || { echo "error: $(PYTHON) not found; framing needs Python 3.11" >&2; exit 1; }

$(UV): tools/uv-requirements.txt | check-python
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check --require-hashes -r tools/uv-requirements.txt
	@touch $@

$(VENV)/.synced: uv.lock pyproject.toml $(UV)
	$(UV) sync --locked --all-groups
	@touch $@

env: $(VENV)/.synced

report: env
	$(PY) -m framing.report --corpus "$(CORPUS)" --reports "$(REPORTS)" $(if $(OUT),--out "$(OUT)") $(if $(OUTLETS),-p 'outlets="$(OUTLETS)"') $(if $(BY),-p 'by="$(BY)"') $(if $(TOP_OUTLETS),-p 'top_outlets=$(TOP_OUTLETS)') $(if $(RERUN),--rerun)

analyze: env
	$(VENV)/bin/framing analyze "$(CORPUS)" --out "$(TABLES)" $(if $(OUTLETS),--outlets "$(OUTLETS)") $(if $(BY),--by "$(BY)") $(if $(TOP_OUTLETS),--top-outlets $(TOP_OUTLETS))

bench-pipeline: env
	$(PY) benchmarks/bench_pipeline.py

bench-terms: env
	$(PY) benchmarks/bench_terms.py

bench-sentiment: env
	$(PY) benchmarks/bench_sentiment.py

bench-frames: env
	$(PY) benchmarks/bench_frames.py --sizes 1000,5000 --naive-max 1000

bench-report: env
	$(PY) -u benchmarks/bench_report.py

bench-quotes: env
	$(PY) -u benchmarks/bench_quotes.py --check 3000

bench-many: env
	$(PY) -u benchmarks/bench_many.py

bench-events: env
	$(PY) -u benchmarks/bench_events.py

test: env
	MPLBACKEND=Agg $(PY) -m pytest -q -n $(TEST_JOBS) --dist loadfile

# JupyterLab refuses to start as root unless told; root is common in containers, so tell it.
lab: env
	@echo "JupyterLab on port $(PORT): open the http://127.0.0.1:$(PORT)/lab?token=… address printed below"
	$(VENV)/bin/jupyter lab --notebook-dir=. --port=$(PORT) --no-browser $(if $(filter 0,$(shell id -u)),--allow-root) $(LAB_ARGS)

lint: env
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: env
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# remove outputs, execution counts and run metadata from the committed notebooks
strip: env
	$(PY) -m framing.notebooks strip notebooks/*.ipynb

cache-clear: clean-cache

# only what the cache wrote: a file of yours in FRAMING_CACHE stays
clean-cache:
	@if [ -x $(VENV)/bin/framing ]; then $(VENV)/bin/framing cache clear; \
	else echo "no environment yet (make env): nothing to clear"; fi

# reports and cache: only what framing wrote (a file of yours in reports/ stays)
clean-reports:
	@if [ -x $(PY) ]; then $(PY) -m framing.report --clean --reports "$(REPORTS)"; \
	else echo "no environment yet (make env): nothing to clean"; fi

clean: clean-cache clean-reports
	rm -rf $(VENV) $(TOOLS)
