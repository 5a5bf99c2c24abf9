# Everything runs through the go command: the ginkgo CLI is pinned by go.mod's tool directive.
# The api-version under test: API_VERSION=... or LISTKEYS_API_VERSION=...; cassettes/<api-version> holds its cassettes.
API_VERSION ?= $(or $(LISTKEYS_API_VERSION),2025-12-15-preview)
export LISTKEYS_API_VERSION := $(API_VERSION)
# Every api-version with a definitions source (schemas/source/<api-version>/listkeys.json).
API_VERSIONS := $(filter-out common,$(patsubst schemas/source/%/listkeys.json,%,$(wildcard schemas/source/*/listkeys.json)))
OPERATIONS   := Workspaces_ListKeys,Workspaces_RegenerateKeys
GINKGO      := go tool ginkgo
REPORT_DIR  ?= $(or $(LISTKEYS_REPORT_DIR),reports)
SUITES      := ./suites/...
# The clients suite checks third-party clients against the in-process server; it has no mode and runs once, in test.
MODE_FILTER := --label-filter='!clients'

.PHONY: conformance conformance-all record-emulator-all test test-modes vet build schemas bench record-emulator record live

## conformance: run the conformance suites in replay mode (the embedded default; no network, no credentials)
conformance:
	mkdir -p $(REPORT_DIR)
	LISTKEYS_MODE=replay $(GINKGO) -r --keep-going $(MODE_FILTER) --output-dir=$(REPORT_DIR) \
		--junit-report=junit.xml --json-report=report.json $(SUITES)

## conformance-all: the replay suites for every api-version (reports in $(REPORT_DIR)/<api-version>/), then a
## summary per version and a matrix of suites by versions; fails when any version does
conformance-all:
	@mkdir -p $(REPORT_DIR); status=0; \
	for v in $(API_VERSIONS); do \
		$(MAKE) --no-print-directory conformance API_VERSION=$$v REPORT_DIR=$(REPORT_DIR)/$$v \
			>$(REPORT_DIR)/$$v.log 2>&1 || { status=1; echo "$$v failed; its output:"; tail -n 40 $(REPORT_DIR)/$$v.log; }; \
	done; \
	go run ./cmd/listkeys-conformance versions --matrix $(REPORT_DIR) >$(REPORT_DIR)/matrix.md || status=1; \
	cat $(REPORT_DIR)/matrix.md; \
	exit $$status

## test: vet, every unit test and spec (race detector on), then the suites in every mode against the emulator
test: vet
	$(GINKGO) -r --race --keep-going --timeout=20m ./...
	$(MAKE) test-modes

## test-modes: the same suites live against the emulator, then recorded through it and replayed
test-modes:
	.ci/with-emulator env LISTKEYS_MODE=live $(GINKGO) -r --keep-going $(MODE_FILTER) $(SUITES)
	tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	.ci/with-emulator env LISTKEYS_MODE=record LISTKEYS_CASSETTES=$$tmp $(GINKGO) -r --keep-going $(MODE_FILTER) $(SUITES) && \
	LISTKEYS_MODE=replay LISTKEYS_CASSETTES=$$tmp $(GINKGO) -r --keep-going $(MODE_FILTER) $(SUITES)

## record-emulator: regenerate the committed cassettes through the emulator (same record path and sanitizer)
record-emulator:
	.ci/with-emulator env LISTKEYS_MODE=record LISTKEYS_CASSETTES=cassettes/$(API_VERSION) $(GINKGO) -r --keep-going $(MODE_FILTER) $(SUITES)

## record-emulator-all: record-emulator for every api-version
record-emulator-all:
	for v in $(API_VERSIONS); do $(MAKE) --no-print-directory record-emulator API_VERSION=$$v || exit 1; done

## record / live: the same specs against Azure (needs AZURE_SUBSCRIPTION_ID, LISTKEYS_RESOURCE_GROUP,
## LISTKEYS_WORKSPACE and a credential: az login, workload identity, or LISTKEYS_BEARER_TOKEN)
record:
	mkdir -p $(REPORT_DIR)
	LISTKEYS_MODE=record $(GINKGO) -r --keep-going $(MODE_FILTER) --output-dir=$(REPORT_DIR) \
		--junit-report=junit.xml --json-report=report.json $(SUITES)

live:
	mkdir -p $(REPORT_DIR)
	LISTKEYS_MODE=live $(GINKGO) -r --keep-going $(MODE_FILTER) --output-dir=$(REPORT_DIR) \
		--junit-report=junit.xml --json-report=report.json $(SUITES)

vet:
	go vet ./...

build:
	mkdir -p bin
	go build -o bin/listkeys-conformance ./cmd/listkeys-conformance

## schemas: regenerate the committed schemas of every api-version from its definitions source
schemas:
	for v in $(API_VERSIONS); do \
		go run ./cmd/listkeys-conformance schemas --spec schemas/source/$$v/listkeys.json \
			--operation $(OPERATIONS) --out schemas/$$v >/dev/null || exit 1; \
		echo "schemas/$$v"; \
	done

## bench: the speed targets (see bench/README.md)
bench:
	bench/run
