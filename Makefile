# Everything runs through the go command: the ginkgo CLI is pinned by go.mod's tool directive.
API_VERSION ?= 2025-12-15-preview
GINKGO      := go tool ginkgo
REPORT_DIR  ?= $(or $(LISTKEYS_REPORT_DIR),reports)
SUITES      := ./suites/...
# The clients suite checks third-party clients against the in-process server; it has no mode and runs once, in test.
MODE_FILTER := --label-filter='!clients'

.PHONY: conformance test test-modes lint vet build schemas bench record-emulator record live

## conformance: run the conformance suites in replay mode (the embedded default; no network, no credentials)
# junit.xml is made from Ginkgo's JSON report, so that a harness error is an <error> and each spec carries its
# check IDs; it is written even when specs fail, and the target still fails then.
JUNIT = go run ./cmd/listkeys-conformance junit --json $(REPORT_DIR)/report.json --out $(REPORT_DIR)/junit.xml
# A configuration error is one message for the run, before any suite starts.
CONFIG = go run ./cmd/listkeys-conformance config >/dev/null

conformance:
	mkdir -p $(REPORT_DIR)
	LISTKEYS_MODE=replay $(CONFIG)
	LISTKEYS_MODE=replay $(GINKGO) -r --keep-going $(MODE_FILTER) --output-dir=$(REPORT_DIR) \
		--json-report=report.json $(SUITES); status=$$?; $(JUNIT) && exit $$status

## test: lint, every unit test and spec (race detector on), then the suites in every mode against the emulator
test: lint
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

## record / live: the same specs against Azure (needs AZURE_SUBSCRIPTION_ID, LISTKEYS_RESOURCE_GROUP,
## LISTKEYS_WORKSPACE and a credential: az login, workload identity, or LISTKEYS_BEARER_TOKEN)
record:
	mkdir -p $(REPORT_DIR)
	LISTKEYS_MODE=record $(CONFIG)
	LISTKEYS_MODE=record $(GINKGO) -r --keep-going $(MODE_FILTER) --output-dir=$(REPORT_DIR) \
		--json-report=report.json $(SUITES); status=$$?; $(JUNIT) && exit $$status

live:
	mkdir -p $(REPORT_DIR)
	LISTKEYS_MODE=live $(CONFIG)
	LISTKEYS_MODE=live $(GINKGO) -r --keep-going $(MODE_FILTER) --output-dir=$(REPORT_DIR) \
		--json-report=report.json $(SUITES); status=$$?; $(JUNIT) && exit $$status

## lint: gofmt, go vet, staticcheck and actionlint (the last two pinned by go.mod's tool directive)
lint: vet
	@unformatted=$$(gofmt -l .); if [ -n "$$unformatted" ]; then echo "gofmt: not formatted (run gofmt -w):"; echo "$$unformatted"; exit 1; fi
	go tool staticcheck ./...
	go tool actionlint

vet:
	go vet ./...

build:
	mkdir -p bin
	go build -o bin/listkeys-conformance ./cmd/listkeys-conformance

## schemas: regenerate the committed schemas from the definitions source
schemas:
	go run ./cmd/listkeys-conformance schemas --spec schemas/source/$(API_VERSION)/listkeys.json \
		--operation Workspaces_ListKeys --out schemas/$(API_VERSION)

## bench: the speed targets as benchmarks (what each measures: the header of bench/run; results: bench/results.md)
bench:
	bench/run
