# Thi đua — the two commands: `make run` and `make test`.
SHELL := /bin/bash
PORT ?= 8000
PYTEST_WORKERS ?= 2
PYTHON_BOOT ?= python3
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
PY := .venv/bin/python
DEMO_ENV := DEBUG=1 DEMO_MODE=1

.PHONY: run test install lint typecheck pytest bench demo worker clean

## run: install everything, migrate, load the Cluster 9 demo, serve http://127.0.0.1:$(PORT)
run: install
	$(DEMO_ENV) $(PY) manage.py migrate --noinput
	$(DEMO_ENV) $(PY) manage.py load_demo
	@echo "Thi đua: http://127.0.0.1:$(PORT)  (tài khoản dùng thử ở trang đăng nhập)"
	$(DEMO_ENV) $(PY) manage.py runserver 127.0.0.1:$(PORT)

## test: lint, type-check and the whole suite (unit, integration, browser)
test: install lint typecheck pytest

install: .venv/.synced node_modules/.installed

## fonts: the TTF fonts the PDFs embed — Debian's fonts-liberation2 (Liberation Serif 2.x, with
## Vietnamese; the 1.x of fonts-liberation lacks it). Installed once, only if the file is missing.
FONT_FILE := /usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
.PHONY: fonts
install: fonts
fonts: $(FONT_FILE)
$(FONT_FILE):
	@if command -v apt-get >/dev/null 2>&1; then \
	  export DEBIAN_FRONTEND=noninteractive; \
	  $(SUDO) apt-get install -y -qq fonts-liberation2 >/dev/null 2>&1 \
	  || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq fonts-liberation2 >/dev/null; }; \
	else \
	  echo "Thi đua: cần phông Liberation Serif 2.x (gói fonts-liberation2) để tạo PDF; chưa cài được tự động."; \
	fi

.tools/bin/uv:
	$(PYTHON_BOOT) -m venv .tools
	.tools/bin/pip install --quiet uv

.venv/.synced: pyproject.toml uv.lock $(if $(findstring .tools,$(UV)),.tools/bin/uv)
	$(UV) sync --frozen --python $(PYTHON_BOOT)
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

lint:
	$(PY) -m ruff check src tests bench
	.venv/bin/lint-imports
	$(PY) -m ruff format --check src tests bench

typecheck:
	DEBUG=1 $(PY) -m mypy

pytest:
	DJANGO_SETTINGS_MODULE=thidua.settings $(PY) -m pytest -q -n $(PYTEST_WORKERS) --dist loadfile --junitxml=var/junit.xml $(PYTEST_ARGS)

## worker: the background task worker (django-tasks database backend)
worker: install
	$(DEMO_ENV) $(PY) manage.py db_worker

bench: install
	$(PY) -m bench.pages
	$(PY) -m bench.engine

clean:
	rm -rf .venv .tools node_modules var
