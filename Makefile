# Two commands do all set-up on a fresh machine:  make run  (local stack)  and  make test.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# Terraform checkers, each in its own venv: checkov's bc-python-hcl2 and python-hcl2 install the
# same `hcl2` package and cannot share one.
TOOLS ?= .venv-tools
TOOL_STAMPS := $(TOOLS)/checkov/.installed $(TOOLS)/hcl2/.installed

.PHONY: run test bench bench-sweep venv tools clean requirements
# The browser tests (tests/browser) drive Debian's chromium through playwright's executable_path:
# playwright's own browser download does not work on the project's machines. CI runs as root.
CHROMIUM ?= /usr/bin/chromium

$(STAMP): requirements.in requirements-dev.txt
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

venv: $(STAMP)

$(TOOLS)/%/.installed: requirements-tools-%.txt
	rm -rf $(TOOLS)/$*
	python3 -m venv $(TOOLS)/$*
	$(TOOLS)/$*/bin/pip install --quiet --disable-pip-version-check -r $<
	touch $@

## make tools: checkov and python-hcl2 for the Terraform tests (make test builds them too)
tools: $(TOOL_STAMPS)

## the deployed zip carries functions/requirements.txt; it must equal requirements.txt (a test checks)
functions/requirements.txt: requirements.txt
	cp $< $@

## make requirements: requirements.in (top-level pins) -> requirements.txt and functions/requirements.txt, every
## package pinned with the hashes of its wheels for the Cloud Functions runtimes (needs PyPI)
requirements: $(STAMP)
	$(PY) tools/lock_requirements.py

## make run: Firestore emulator + the functions + the WhatsApp stand-in with a chat page
run: $(STAMP)
	$(PY) -m tests.support.localstack

$(CHROMIUM):
	@echo "installing chromium for the browser tests (apt-get)"
	$(if $(filter 0,$(shell id -u)),,sudo) apt-get update -qq
	$(if $(filter 0,$(shell id -u)),,sudo) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

## make test: the whole suite against a Firestore emulator it starts itself
test: $(STAMP) $(TOOL_STAMPS) $(CHROMIUM)
	JARING_TOOLS=$(abspath $(TOOLS)) $(PY) -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	$(PY) -m bench.webhook_bench

## make bench-sweep: the reminder sweep's reads and send rate at 1k/10k/100k invitations (docs/BENCHMARKS.md)
bench-sweep: $(STAMP)
	PYTHONPATH=functions $(PY) -m bench.sweep_bench

clean:
	rm -rf $(VENV) $(TOOLS)
