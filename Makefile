# Set-up for a fresh Debian machine: `make demo` runs the main job (the web app on
# http://127.0.0.1:8000 with a demo deployment), `make test` runs the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Debian packages the product or its tests need; installed with apt-get when absent.
# chromium: the browser of the end-to-end tests (driven by Playwright, never downloaded);
# postgresql, redis-server: the tests start throw-away servers (the web suite on PostgreSQL,
# Celery workers with a Redis broker); libreoffice-writer-nogui: report drafts as PDF (soffice);
# dovecot-imapd: the mail tests start a throw-away IMAP server on loopback.
# fonts-liberation2, fonts-urw-base35: the printed and the handwritten-looking text of the
# generated scans (tools/make_scans.py, tests/test_scans.py).
DEB_PACKAGES := fonts-dejavu-core tesseract-ocr tesseract-ocr-vie poppler-utils ocrmypdf chromium \
	postgresql redis-server libreoffice-writer-nogui dovecot-imapd \
	fonts-liberation2 fonts-urw-base35
# The demo's database and files; a real deployment sets CCHC_DATA_DIR (or DATABASE_URL) itself.
DEMO_DATA ?= var/demo

.PHONY: install demo test lint bench clean system-deps

install: $(BIN)/cchc

system-deps:
	@missing=""; for p in $(DEB_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  SUDO=""; [ "$$(id -u)" -ne 0 ] && SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

$(BIN)/cchc: pyproject.toml requirements.lock | system-deps
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements.lock
	$(BIN)/pip install -q --no-deps -e .
	@touch $@

demo: install
	CCHC_DATA_DIR=$(DEMO_DATA) $(BIN)/cchc demo

test: install lint
	PYTHONPATH=src:. DJANGO_SETTINGS_MODULE=tests.settings \
	  $(BIN)/django-admin makemigrations --check --dry-run
	$(BIN)/pytest

# ruff's rules and formatting; `$(BIN)/ruff format src tests bench` fixes the formatting.
lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

bench: install
	$(BIN)/python bench/parse_corpus.py

clean:
	rm -rf $(VENV) build src/*.egg-info .pytest_cache .ruff_cache var
