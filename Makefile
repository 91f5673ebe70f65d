# Two commands: `make run` serves the app, `make test` runs every test. Both set up whatever is
# missing first (system packages, Python 3.12 virtualenv, front-end assets, database, content,
# demo sign-ins and peer councils) and skip what is already done, so a second run starts in
# seconds.
SHELL := /bin/bash
.DEFAULT_GOAL := run

# python3.12 on the PATH, else pyenv's newest 3.12 (found without needing pyenv's shell set-up).
PYTHON312 ?= $(shell command -v python3.12 2>/dev/null || ls -d $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.12*/bin/python3.12 2>/dev/null | sort -V | tail -n 1)
VENV := .venv
PY := $(VENV)/bin/python
UV_VERSION := 0.13.9
CSS := build/static/css/app.css
PYTEST_ARGS ?=
PORT ?= 8000
# Fictional peer councils `make run` seeds (each with submitted 2023 and 2024 assessments), so
# peer comparisons and the sector overview have data to show.
DEMO_PEERS ?= 40

export UV_PYTHON_DOWNLOADS := never

.PHONY: run test setup system-packages database lint clean

# The web server and the background worker that makes the report's documents; PORT=8001 to
# serve on another port.
run: setup
	@PORT=$(PORT) scripts/serve.sh

# Exits non-zero when any test fails, or when the tests leave more code unrun than the
# coverage floor in pyproject.toml allows (make reports either as its own exit status 2).
test: setup
	$(PY) -m pytest --cov --cov-report=term $(PYTEST_ARGS)

setup: system-packages $(VENV)/.installed $(CSS) database

system-packages:
	@scripts/install-system-packages.sh

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@test -n "$(PYTHON312)" || { echo "Python 3.12 was not found. Install it (for example 'pyenv install 3.12') and run make again." >&2; exit 1; }
	@test -x $(PY) || $(PYTHON312) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(VENV)/bin/uv pip install --quiet --python $(PY) -r requirements-dev.txt
	@touch $@

node_modules/.installed: package.json
	npm install --no-audit --no-fund --loglevel=error
	@touch $@

$(CSS): node_modules/.installed $(wildcard static/scss/*.scss)
	npm run --silent build:css

database: $(VENV)/.installed
	@$(PY) manage.py migrate --noinput -v 0
	@$(PY) manage.py load_content
	@$(PY) manage.py seed_demo --organisations $(DEMO_PEERS) --editions 2 --port $(PORT)

# The pre-commit hooks on every file: ruff, ruff format, django-upgrade, mypy, the import
# layers and migrations (.pre-commit-config.yaml). Fixes what the tools can fix, and fails.
lint: $(VENV)/.installed
	$(VENV)/bin/pre-commit run --all-files --show-diff-on-failure

clean:
	rm -rf $(VENV) node_modules build staticfiles db.sqlite3
