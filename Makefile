# Everything runs through the go command: the ginkgo CLI is pinned by go.mod's tool directive.
API_VERSION ?= 2025-12-15-preview
GINKGO      := go tool ginkgo
REPORT_DIR  ?= reports
SUITES      := ./suites/...

.PHONY: conformance test vet build schemas bench

## conformance: run the conformance suites in replay mode (the embedded default; no network, no credentials)
conformance:
	mkdir -p $(REPORT_DIR)
	LISTKEYS_MODE=replay $(GINKGO) -r --keep-going --output-dir=$(REPORT_DIR) \
		--junit-report=junit.xml --json-report=report.json $(SUITES)

## test: vet, then every unit test and spec (with the race detector)
test: vet
	$(GINKGO) -r --race --keep-going --timeout=20m ./...

vet:
	go vet ./...

build:
	mkdir -p bin
	go build -o bin/listkeys-conformance ./cmd/listkeys-conformance

## schemas: regenerate the committed schemas from the definitions source
schemas:
	go run ./cmd/listkeys-conformance schemas --spec schemas/source/$(API_VERSION)/listkeys.json \
		--operation Workspaces_ListKeys --out schemas/$(API_VERSION)

## bench: the speed targets (see bench/README.md)
bench:
	bench/run
