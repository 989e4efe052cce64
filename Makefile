# btm: the two set-up commands of the README.
#   make        build the environment (.venv) from nothing and run the main job (the board pack)
#   make test   run every test: lint, doctests, unit, property and notebook tests, on the
#               resolved environment (.venv, pandas 2.x today) and again on pandas 3
#   make test-main / make test-pandas3   one of the two
#   make lab    open the notebooks in JupyterLab from the project's environment
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: all boardpack test test-main test-pandas3 lint typecheck lab bench clean-venv

all: boardpack

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "btm needs Python 3.11 or newer")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e '.[test]'
	# stored notebooks keep only the outputs nbval checks: run-and-save in JupyterLab leaves git clean
	if git rev-parse --git-dir >/dev/null 2>&1; then \
	  git config filter.nbstripout.clean '$(abspath $(BIN))/python -m nbstripout --keep-count' && \
	  git config filter.nbstripout.smudge cat && \
	  git config diff.ipynb.textconv '$(abspath $(BIN))/python -m nbstripout --keep-count -t'; fi
	touch $(STAMP)

boardpack: $(STAMP)
	$(BIN)/btm boardpack

lint: $(STAMP)
	$(BIN)/ruff check .

typecheck: $(STAMP)
	$(BIN)/mypy btm

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/

test: test-main test-pandas3

test-main: $(STAMP) lint typecheck
	$(BIN)/python -m pytest -n 2

# pandas 3: statsforecast caps pandas < 3, so this second environment has every dependency and
# test extra of pyproject.toml except statsforecast, with pandas >= 3; conftest.py then leaves out
# what needs statsforecast.
VENV3  := .venv-pandas3
STAMP3 := $(VENV3)/.installed

$(STAMP3): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "btm needs Python 3.11 or newer")'
	test -x $(VENV3)/bin/python || $(PYTHON) -m venv $(VENV3)
	$(VENV3)/bin/python -c 'import tomllib; p = tomllib.load(open("pyproject.toml", "rb"))["project"]; print("\n".join(d for d in p["dependencies"] + p["optional-dependencies"]["test"] if not d.startswith("statsforecast")))' > $(VENV3)/requirements.txt
	$(VENV3)/bin/python -m pip install --quiet --no-deps -e .
	$(VENV3)/bin/python -m pip install --quiet 'pandas>=3' -r $(VENV3)/requirements.txt
	touch $(STAMP3)

test-pandas3: $(STAMP3)
	$(VENV3)/bin/python -m pytest -n 2

bench: $(STAMP)
	for f in benchmarks/bench_*.py; do $(BIN)/python $$f || exit 1; done

clean-venv:
	rm -rf $(VENV) $(VENV3)
