# Everything runs through the go command: the ginkgo CLI is pinned by go.mod's tool directive.
# The api-version under test: API_VERSION=... or LISTKEYS_API_VERSION=...; cassettes/<api-version> holds its cassettes.
API_VERSION ?= $(or $(LISTKEYS_API_VERSION),2025-12-15-preview)
export LISTKEYS_API_VERSION := $(API_VERSION)
# Every api-version with a definitions source (schemas/source/<api-version>/listkeys.json).
API_VERSIONS := $(filter-out common,$(patsubst schemas/source/%/listkeys.json,%,$(wildcard schemas/source/*/listkeys.json)))
OPERATIONS   := Workspaces_ListKeys,Workspaces_RegenerateKeys
GINKGO      := go tool ginkgo
REPORT_DIR  ?= $(or $(LISTKEYS_REPORT_DIR),reports)
# The suites that have modes, listed so that a run builds only what it runs. The clients suite checks
# third-party clients against the in-process server; it has no mode and runs once, in test.
SUITES      := ./suites/contract ./suites/response ./suites/errors ./suites/parameters ./suites/rotation
MODE_FILTER := --label-filter='!clients'
# The suites' test binaries are kept between runs in SUITE_BIN (gitignored): `go test -c` relinks only a suite
# whose code changed, and Ginkgo runs them precompiled (it would build and delete them every run). Each
# binary is linked into its suite's folder, where Ginkgo runs it, as it runs a suite it builds itself.
SUITE_BIN   := bin/suites
SUITE_TESTS := $(foreach s,$(SUITES),$(s)/$(notdir $(s)).test)
LK          := bin/listkeys-conformance
# What the binaries are built from: when none of these changed since the last build, make does not even ask
# the go command (which takes most of a second to find that nothing changed).
GO_INPUTS   := go.mod go.sum $(shell find cmd harness internal suites schemas cassettes -type f ! -name '*.test' 2>/dev/null)
# suites MODE [ENV...]: the mode suites, then the reports made from Ginkgo's JSON report and the run's summary.
# Ginkgo's own JSON (absolute paths, ~1 MB) stays in a scratch file; the exit status is the run's.
define suites
	mkdir -p $(REPORT_DIR)
	$(if $(2),,LISTKEYS_MODE=$(1) $(3) $(LK) config >/dev/null || exit 2;) \
	for s in $(SUITES); do ln -sf "$$PWD/$(SUITE_BIN)/$${s##*/}.test" "$$s/$${s##*/}.test" || exit 1; done; \
	raw=$$(mktemp) && trap 'rm -f "$$raw" $(SUITE_TESTS)' EXIT && \
	status=0 && $(2) env LISTKEYS_MODE=$(1) $(3) $(GINKGO) --keep-going $(MODE_FILTER) --json-report="$$raw" $(SUITE_TESTS) || status=$$?; \
	$(LK) report --from-ginkgo "$$raw" --out $(REPORT_DIR)/$(4) || status=$$((status ? status : $$?)); \
	exit $$status
endef

# The CLI and the suites' test binaries, rebuilt when their sources changed (the suites macro runs them).
$(SUITE_BIN)/.built: $(GO_INPUTS)
	@mkdir -p $(SUITE_BIN)
	CGO_ENABLED=0 go build -o $(LK) ./cmd/listkeys-conformance
	go test -c -o $(SUITE_BIN)/ $(SUITES)
	@touch $@

.PHONY: conformance conformance-all test test-modes test-record-replay lint vet build schemas bench fuzz record-emulator record-emulator-all record live

## conformance: run the conformance suites in replay mode (the embedded default; no network, no credentials)
conformance: $(SUITE_BIN)/.built
	@$(call suites,replay)

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

## test: lint, every unit test and spec (race detector on), then the suites in every mode against the emulator
test: lint
	$(GINKGO) -r --race --keep-going --timeout=20m ./...
	$(MAKE) test-modes

## test-modes: the same suites live against the emulator, then recorded through it and replayed; each run
## writes its reports into $(REPORT_DIR)/<mode>/ (what CI uploads)
test-modes: $(SUITE_BIN)/.built
	@$(call suites,live,.ci/with-emulator,,live)
	tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	$(MAKE) --no-print-directory test-record-replay CASSETTES_DIR=$$tmp

test-record-replay: $(SUITE_BIN)/.built
	@$(call suites,record,.ci/with-emulator,LISTKEYS_CASSETTES=$(CASSETTES_DIR),record)
	@$(call suites,replay,,LISTKEYS_CASSETTES=$(CASSETTES_DIR),replay)

## record-emulator: regenerate the committed cassettes through the emulator (same record path and sanitizer)
record-emulator:
	.ci/with-emulator env LISTKEYS_MODE=record LISTKEYS_CASSETTES=cassettes/$(API_VERSION) $(GINKGO) --keep-going $(MODE_FILTER) $(SUITES)

## record-emulator-all: record-emulator for every api-version
record-emulator-all:
	for v in $(API_VERSIONS); do $(MAKE) --no-print-directory record-emulator API_VERSION=$$v || exit 1; done

## record / live: the same specs against Azure (needs AZURE_SUBSCRIPTION_ID, LISTKEYS_RESOURCE_GROUP,
## LISTKEYS_WORKSPACE and a credential: az login, workload identity, or LISTKEYS_BEARER_TOKEN). Each answer is
## compared with its committed cassette: a conformant difference is Drift in the summary and the reports.
record: $(SUITE_BIN)/.built
	@$(call suites,record)

live: $(SUITE_BIN)/.built
	@$(call suites,live)

## lint: gofmt, go vet, staticcheck and actionlint (the last two pinned by go.mod's tool directive)
lint: vet
	@unformatted=$$(gofmt -l .); if [ -n "$$unformatted" ]; then echo "gofmt: not formatted (run gofmt -w):"; echo "$$unformatted"; exit 1; fi
	go tool staticcheck ./...
	go tool actionlint

vet:
	go vet ./...

build:
	mkdir -p bin
	CGO_ENABLED=0 go build -o bin/listkeys-conformance ./cmd/listkeys-conformance

## schemas: regenerate the committed schemas of every api-version from its definitions source
schemas:
	for v in $(API_VERSIONS); do \
		go run ./cmd/listkeys-conformance schemas --spec schemas/source/$$v/listkeys.json \
			--operation $(OPERATIONS) --out schemas/$$v >/dev/null || exit 1; \
		echo "schemas/$$v"; \
	done

## fuzz: every fuzz target for FUZZTIME each. Minimizing a new input is capped at FUZZMINIMIZETIME (go test's
## default, 60s, would spend a short run minimizing). A crash is written to the package's testdata/fuzz, where
## plain go test (and make test) then runs it as a regression test: commit it with the fix.
FUZZTIME         ?= 30s
FUZZMINIMIZETIME ?= 2s
# every fuzz target of the sources (package:FuzzName), found anew each run so that none is left out
FUZZ_TARGETS ?= $(shell grep -rHo --include='*_test.go' '^func Fuzz[A-Za-z0-9_]*' cmd harness internal | sed -E 's|^(.*)/[^/]*_test[.]go:func |./\1:|' | sort -u)
fuzz:
	@set -e; for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; name=$${t##*:}; echo "== $$pkg $$name ($(FUZZTIME))"; \
		go test $$pkg -run '^$$' -fuzz "^$$name\$$" -fuzztime $(FUZZTIME) -fuzzminimizetime $(FUZZMINIMIZETIME); \
	done

## bench: the speed targets as benchmarks (what each measures: the header of bench/run; results: bench/results.md)
bench:
	bench/run
