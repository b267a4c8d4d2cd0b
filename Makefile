# Emendo — see README. `make run` opens the sample project; `make test` runs every test.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Qt's runtime libraries, fonts covering Latin, Cyrillic and CJK, poppler for looking at
# PDFs, xvfb for real-window screenshots, Pango for WeasyPrint's PDF editions.
SYSTEM_PACKAGES := libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libxcb-cursor0 \
	libfontconfig1 libdbus-1-3 libglib2.0-0 fonts-dejavu-core fonts-wqy-microhei \
	libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-shape0 \
	libxcb-randr0 libxcb-xinerama0 libxcb-xkb1 poppler-utils xvfb xauth \
	libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b

# The readers' tools the edition tests check with: headless Chromium with axe-core (npm,
# into tests/.node, not committed) for the HTML editions, LibreOffice (Writer without its
# GUI: 49 packages, 84 MB to fetch, 259 MB on disk, smaller than Chromium) for the DOCX.
TEST_SYSTEM_PACKAGES := chromium libreoffice-writer-nogui
NODE_DIR := tests/.node

.PHONY: run test test-fast test-deps bench lint system-deps venv clean score-import

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

test-deps: venv
	@if command -v apt-get >/dev/null 2>&1; then \
	  missing=$$(for p in $(TEST_SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	  command -v npm >/dev/null 2>&1 || missing="$$missing nodejs npm"; \
	  if [ -n "$$missing" ]; then \
	    echo "installing test packages:" $$missing; \
	    $(SUDO) apt-get update -qq && \
	    $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	      $$missing >/dev/null; \
	  fi; \
	fi
	@if command -v npm >/dev/null 2>&1 && [ ! -d $(NODE_DIR)/node_modules/axe-core ]; then \
	  mkdir -p $(NODE_DIR) && npm install --prefix $(NODE_DIR) --no-audit --no-fund --silent \
	    --no-save "axe-core@>=4.8" "puppeteer-core@>=22"; \
	fi

run: venv
	$(BIN)/emendo

# The whole suite, the 200-kill crash run included (EMENDO_SLOW=1); `make test-fast` skips it.
test: venv test-deps
	QT_QPA_PLATFORM=offscreen EMENDO_SLOW=1 $(BIN)/python -m pytest -q

test-fast: venv test-deps
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -m "not slow" -q

# ruff (pycodestyle, pyflakes, bugbear, isort, pydocstyle, annotations; pyproject.toml).
lint: venv
	@$(BIN)/python -c "import ruff" 2>/dev/null || $(BIN)/python -m pip install -q -e ".[lint]"
	$(BIN)/python -m ruff check .

# Each benchmark prints its table against the bare limit; a missed target does not stop
# the others (the dash), and is marked MISSED / NOT met in the output.
bench: venv
	-QT_QPA_PLATFORM=offscreen $(BIN)/python bench/bench_core.py
	-$(BIN)/python bench/bench_editions.py
	-QT_QPA_PLATFORM=offscreen $(BIN)/python bench/bench_gui.py
	-QT_QPA_PLATFORM=offscreen $(BIN)/python bench/bench_large.py

# The importer against the corpus' hand-written records: recall and precision per field on
# the dev and test splits, every miss with its source line, one summary line.
score-import: venv
	$(BIN)/python -m emendo.core.importers.scoring --misses tests/data/corpus

clean:
	rm -rf build dist .pytest_cache

# --- Packaging (packaging/README.md) ---------------------------------------------------
# bundle: one-folder app in dist/emendo/ built with packaging/emendo.spec, then checked by
# running it offscreen with --smoke. install-desktop: desktop entry, MIME type, icon and
# AppStream metadata into ~/.local/share (override with DESKTOP_DATA_DIR=...).
DESKTOP_DATA_DIR ?= $(or $(XDG_DATA_HOME),$(HOME)/.local/share)
APP_ID := io.github.emendo.Emendo

.PHONY: bundle install-desktop

bundle: venv
	@$(BIN)/python -c "import PyInstaller" 2>/dev/null || $(BIN)/python -m pip install -q "pyinstaller>=6.0"
	@start=$$(date +%s); \
	$(BIN)/python -m PyInstaller --noconfirm --clean --log-level WARN \
	  --distpath dist --workpath build/pyinstaller packaging/emendo.spec || exit $$?; \
	echo "bundle: dist/emendo built in $$(( $$(date +%s) - start )) s, size $$(du -sh dist/emendo | cut -f1)"
	bash packaging/check_bundle.sh dist/emendo

install-desktop:
	install -Dm644 packaging/$(APP_ID).desktop $(DESKTOP_DATA_DIR)/applications/$(APP_ID).desktop
	install -Dm644 packaging/emendo-mime.xml $(DESKTOP_DATA_DIR)/mime/packages/$(APP_ID).xml
	install -Dm644 resources/app-icon.svg $(DESKTOP_DATA_DIR)/icons/hicolor/scalable/apps/$(APP_ID).svg
	install -Dm644 resources/app-icon.svg \
	  $(DESKTOP_DATA_DIR)/icons/hicolor/scalable/mimetypes/application-x-emendo-project.svg
	install -Dm644 packaging/$(APP_ID).metainfo.xml $(DESKTOP_DATA_DIR)/metainfo/$(APP_ID).metainfo.xml
	@if command -v update-mime-database >/dev/null; then update-mime-database $(DESKTOP_DATA_DIR)/mime; fi
	@if command -v update-desktop-database >/dev/null; then update-desktop-database $(DESKTOP_DATA_DIR)/applications; fi
	@if command -v gtk-update-icon-cache >/dev/null; then gtk-update-icon-cache -q -t -f $(DESKTOP_DATA_DIR)/icons/hicolor; fi
	@command -v emendo >/dev/null || echo "install-desktop: note: 'emendo' is not on PATH; the menu entry needs it (see packaging/README.md)"

.PHONY: screenshots
screenshots: venv
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m emendo.gui.screenshots docs/screenshots
