# Developer tasks for nilsentry. `make help` lists them.
# The test command is `make test`, which is exactly `go test ./...`.

SHELL := /bin/bash
GO    ?= go
BIN   := $(CURDIR)/bin

GOLANGCI_LINT_VERSION := v2.15.0
GOLANGCI_LINT         := $(BIN)/golangci-lint-$(GOLANGCI_LINT_VERSION)/golangci-lint

.DEFAULT_GOAL := help
.PHONY: help build test lint bench realworld holdout realrows gcl-e2e std gopls

help: ## list the targets
	@awk -F ':.*## ' '/^[a-z0-9-]+:.*## /{printf "  %-10s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

build: ## go build ./... and bin/nilsentry
	$(GO) build ./...
	$(GO) build -o $(BIN)/nilsentry ./cmd/nilsentry

test: ## run all tests: go test ./...
	$(GO) test ./...

lint: $(GOLANGCI_LINT) ## golangci-lint (pinned, installed into bin/) with .golangci.yml
	$(GOLANGCI_LINT) run ./...

$(GOLANGCI_LINT):
	GOBIN=$(dir $@) $(GO) install github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$(GOLANGCI_LINT_VERSION)

bench: ## benchmarks (scripts/bench.sh)
	bash scripts/bench.sh

realworld: ## run on real-world modules (scripts/realworld.sh)
	bash scripts/realworld.sh

holdout: ## precision on modules nobody tuned on, issue 11 (scripts/holdout.sh)
	bash scripts/holdout.sh

realrows: ## the real bugs found in std and x/tools are still reported (scripts/realrows.sh)
	bash scripts/realrows.sh

gcl-e2e: ## golangci-lint plugin end-to-end (scripts/gcl-e2e.sh)
	bash scripts/gcl-e2e.sh

gopls: ## gopls with nilsentry compiled in: bin/gopls-nilsentry, checked (scripts/gopls.sh)
	bash scripts/gopls.sh

# nilsentry exits 0 (no findings), 3 (findings), 1 (error), 2 (usage or a panic).
# Findings are fine here; a crash, an error or an internal error is not.
# The engine recovers a panic in one function and skips that function:
# -degraded reports such skips, and "internal error" ones fail this check
# (skips for an exceeded budget do not).
std: build ## crash check: bin/nilsentry over the standard library
	@out=$(BIN)/std.txt; rc=0; \
	$(BIN)/nilsentry -degraded -test=false std >$$out 2>&1 || rc=$$?; \
	echo "nilsentry std: exit $$rc; $$(grep -vc ' skipped: ' $$out) findings," \
		"$$(grep -c ' skipped: ' $$out) functions skipped," \
		"$$(grep -c 'internal error' $$out) internal errors (output in $$out)"; \
	if [[ $$rc != 0 && $$rc != 3 ]] || grep -qE '^panic: |internal error' $$out; then \
		grep -E -m 20 '^panic: |internal error' $$out; tail -n 20 $$out; \
		echo "nilsentry std: crashed or failed" >&2; exit 1; \
	fi
