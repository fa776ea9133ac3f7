# textpay — every target bootstraps what it needs, so each works on a fresh clone.
#
#   make run     the demo (SQLite, local Stripe emulator, phone simulator)
#   make test    the whole suite (real Rasa model, localstripe, Redis, PostgreSQL)

SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c
.DEFAULT_GOAL := help

VENV := .venv
BIN := $(VENV)/bin
MODEL := models/textpay.tar.gz

# Rasa 3.6 runs on Python 3.8-3.10 only: the first python3.10 that really runs
# (a pyenv shim may exist without a 3.10 selected), on PATH or under pyenv.
PYTHON310 := $(shell for p in "$$(command -v python3.10)" $$HOME/.pyenv/versions/3.10.*/bin/python /usr/local/bin/python3.10 /usr/bin/python3.10; do \
  [ -n "$$p" ] && [ -x "$$p" ] && "$$p" -c 'import sys; assert sys.version_info[:2] == (3, 10)' 2>/dev/null && { echo "$$p"; break; }; done)

# This machine's pip configuration names index folders that do not exist; pip
# warns once per package about them. Keep every other line.
QUIET_PIP := { grep -v "is neither a file nor a directory" || true; }

MODEL_INPUTS := config.yml domain.yml $(shell find training_data bot/nlu -type f \( -name '*.yml' -o -name '*.py' \) 2>/dev/null)

export TF_CPP_MIN_LOG_LEVEL := 3
export SQLALCHEMY_SILENCE_UBER_WARNING := 1

.PHONY: help install run test lint nlu-eval bench train clean browser proxy

help:
	@echo "make run       start the demo and print its URL"
	@echo "make test      run the whole test suite"
	@echo "make install   create .venv, install the lock file, train the model if stale"
	@echo "make nlu-eval  intent F1, confusions and wrongful state changes on nlu_eval/ (results/)"
	@echo "make bench     latency/throughput benchmark (textpay vs plain rasa run)"
	@echo "make lint      ruff and the layer contracts (import-linter)"

install: $(VENV)/.installed $(MODEL)

$(VENV)/.installed: requirements.lock pyproject.toml
	@if [ -z "$(PYTHON310)" ]; then \
	  echo "error: textpay needs Python 3.10 (Rasa 3.6 supports 3.8-3.10)."; \
	  echo "       Put python3.10 on PATH or install it with: pyenv install 3.10.13"; \
	  exit 1; fi
	@echo "==> creating $(VENV) with $(PYTHON310)"
	@test -x $(BIN)/python || $(PYTHON310) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check pip==24.2
	@echo "==> installing the locked dependencies (a few minutes on a fresh clone)"
	@$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock 2>&1 | $(QUIET_PIP)
	@$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e . 2>&1 | $(QUIET_PIP)
	@touch $@

# Retrain only when the model is missing or older than what it is trained from.
$(MODEL): $(VENV)/.installed $(MODEL_INPUTS)
	@echo "==> training the Rasa model into models/"
	@$(BIN)/textpay train

train: $(VENV)/.installed
	@$(BIN)/textpay train

run: install
	@$(BIN)/textpay demo

# A Debian package some tests need (Chromium for the browser tests: Playwright's
# own download cannot work on these machines; nginx for the proxy tests),
# installed only when missing and we are root. Without it those tests skip
# (and fail under CI=true).
define debian_tool
	@if [ ! -x $(1) ]; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	    echo "==> installing Debian's $(2) for the $(3) tests"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(2) >/dev/null) \
	      || echo "warning: could not install $(2); $(3) tests will skip (or fail under CI=true)"; \
	  else \
	    echo "note: $(1) missing and not root; $(3) tests will skip"; \
	  fi; \
	fi
endef

browser:
	$(call debian_tool,/usr/bin/chromium,chromium,browser)

proxy:
	$(call debian_tool,/usr/sbin/nginx,nginx,proxy)

test: install browser proxy
	@$(BIN)/ruff check .
	@$(BIN)/lint-imports --no-cache --no-logo
	@$(BIN)/rasa data validate --fail-on-warnings --quiet >/dev/null
	@$(BIN)/pytest

lint: $(VENV)/.installed
	@$(BIN)/ruff check .
	@$(BIN)/lint-imports --no-cache --no-logo

nlu-eval: install
	@$(BIN)/python -m bot.nlu.evaluate

bench: install
	@$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) models instance results .pytest_cache
