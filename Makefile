# motcua: the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
WORKERS ?= 2
PYTEST_ARGS ?=

.PHONY: run test lint format bench install clean messages

$(BIN)/.installed: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check --upgrade pip
	$(BIN)/pip install -q --disable-pip-version-check -c requirements.lock -e '.[dev]'
	touch $@

install: $(BIN)/.installed

run: install
	@scripts/system-deps.sh run
	$(BIN)/motcua run-demo --host $(HOST) --port $(PORT) --workers $(WORKERS)

test: install
	@scripts/system-deps.sh test
	$(BIN)/python -m pytest -n 2 $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install
	@scripts/system-deps.sh bench
	$(BIN)/python bench/run.py $(BENCH)

messages: install
	cd src/motcua && ../../$(BIN)/motcua makemessages -l en --no-obsolete && ../../$(BIN)/motcua compilemessages -l en -l vi

clean:
	rm -rf $(VENV) var .pytest_cache test-artifacts
