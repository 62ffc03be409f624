# The two commands of the README. Each creates .venv and installs the
# project (editable, so params/ is read from this checkout) the first time.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: app test bench bench-app golden messages lint clean

# The app listens on this machine only; `make app ADDRESS=0.0.0.0` serves the network.
ADDRESS ?= 127.0.0.1
app: $(STAMP)
	$(BIN)/python -m app_pages.serve --server.headless true --server.address $(ADDRESS) \
		-- params/base.toml

test: $(STAMP)
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: $(STAMP)
	$(BIN)/python -m plant.bench

bench-app: $(STAMP)
	$(BIN)/python -m app_pages.launch

# Rewrites tests/golden/*.json: only when a change of results is intended (say why in the commit).
golden: $(STAMP)
	$(BIN)/python tools/golden.py

# Adds new app and report messages to the Traditional Chinese catalogue (to translate), drops unused.
messages: $(STAMP)
	$(BIN)/python tools/messages.py

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis test-artifacts
