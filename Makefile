# Everything runs through the go command: the ginkgo CLI is pinned by go.mod's tool directive.
API_VERSION ?= 2025-12-15-preview
GINKGO      := go tool ginkgo
REPORT_DIR  ?= $(or $(LISTKEYS_REPORT_DIR),reports)
SUITES      := ./suites/...
# The clients suite checks third-party clients against the in-process server; it has no mode and runs once, in test.
MODE_FILTER := --label-filter='!clients'

.PHONY: conformance test test-modes vet build schemas bench fuzz record-emulator record live

## conformance: run the conformance suites in replay mode (the embedded default; no network, no credentials)
conformance:
	mkdir -p $(REPORT_DIR)
	LISTKEYS_MODE=replay $(GINKGO) -r --keep-going $(MODE_FILTER) --output-dir=$(REPORT_DIR) \
		--junit-report=junit.xml --json-report=report.json $(SUITES)

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

## schemas: regenerate the committed schemas from the definitions source
schemas:
	go run ./cmd/listkeys-conformance schemas --spec schemas/source/$(API_VERSION)/listkeys.json \
		--operation Workspaces_ListKeys --out schemas/$(API_VERSION)

## fuzz: every fuzz target for FUZZTIME each. Minimizing a new input is capped at FUZZMINIMIZETIME (go test's
## default, 60s, would spend a short run minimizing). A crash is written to the package's testdata/fuzz, where
## plain go test (and make test) then runs it as a regression test: commit it with the fix.
FUZZTIME         ?= 30s
FUZZMINIMIZETIME ?= 2s
FUZZ_TARGETS := \
	./harness/contract:FuzzDecode ./harness/contract:FuzzScrub ./harness/contract:FuzzParseConnectionString \
	./harness/contract:FuzzParseDateTime ./harness/traffic:FuzzRead ./harness/recording:FuzzSanitize \
	./harness/arm:FuzzUnsafeURL ./harness/server:FuzzServeHTTP ./harness/emulator:FuzzServeHTTP
fuzz:
	@set -e; for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; name=$${t##*:}; echo "== $$pkg $$name ($(FUZZTIME))"; \
		go test $$pkg -run '^$$' -fuzz "^$$name\$$" -fuzztime $(FUZZTIME) -fuzzminimizetime $(FUZZMINIMIZETIME); \
	done

## bench: the speed targets (see bench/README.md)
bench:
	bench/run
