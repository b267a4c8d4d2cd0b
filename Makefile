# Emendo — see README. `make run` opens the sample project; `make test` runs every test.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Qt's runtime libraries, fonts covering Latin, Cyrillic and CJK, poppler for looking at
# PDFs, xvfb for real-window screenshots.
SYSTEM_PACKAGES := libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libxcb-cursor0 \
	libfontconfig1 libdbus-1-3 libglib2.0-0 fonts-dejavu-core fonts-wqy-microhei \
	poppler-utils xvfb xauth

.PHONY: run test test-all bench system-deps venv clean

system-deps:
	@if command -v apt-get >/dev/null 2>&1; then \
	  missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	  $(PY) -c "import ensurepip, venv" 2>/dev/null || missing="$$missing python3-venv python3-pip"; \
	  if [ -n "$$missing" ]; then \
	    echo "installing system packages:" $$missing; \
	    $(SUDO) apt-get update -qq && \
	    $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  fi; \
	fi

$(BIN)/.installed: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[test]"
	touch $@

venv: system-deps $(BIN)/.installed

run: venv
	$(BIN)/emendo

test: venv
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -m "not slow" -q

test-all: venv
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q

bench: venv
	QT_QPA_PLATFORM=offscreen $(BIN)/python bench/bench_core.py
	@if [ -f bench/bench_editions.py ]; then $(BIN)/python bench/bench_editions.py; fi
	@if [ -f bench/bench_gui.py ]; then QT_QPA_PLATFORM=offscreen $(BIN)/python bench/bench_gui.py; fi

clean:
	rm -rf build dist .pytest_cache
