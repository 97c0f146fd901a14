# Two commands do all set-up on a fresh machine:  make run  (local stack)  and  make test.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test bench venv clean

$(STAMP): requirements.txt requirements-dev.txt
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

venv: $(STAMP)

## make run: Firestore emulator + the functions + the WhatsApp stand-in with a chat page
run: $(STAMP)
	$(PY) -m tests.support.localstack

## make test: the whole suite against a Firestore emulator it starts itself
test: $(STAMP)
	$(PY) -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	$(PY) -m bench.webhook_bench

clean:
	rm -rf $(VENV)
