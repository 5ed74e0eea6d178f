# The two commands a new user needs:
#   make demo   start the local real LangGraph server (custom auth), run
#               examples/quickstart against it as two users, stop the server
#   make test   gofmt check, go vet, staticcheck, and every test of both
#               modules with the race detector against the real server
#               (started by the tests themselves)
# And for trying things by hand:
#   make server start that server on http://localhost:8123 (the SDK's default
#               base URL) until Ctrl-C
#
# Three modules: the core (the root), contrib/eino and contrib/otel. The core
# is built and tested on its own (GOWORK=off), exactly as its users get it;
# the contrib modules through go.work, which points their requirement of the
# core at this work tree.

GO ?= go
FUZZTIME ?= 10s

# staticcheck 2026.2.2, the newest release; it supports Go 1.26.
STATICCHECK_VERSION := v0.8.2
GOBIN_DIR := $(or $(shell $(GO) env GOBIN),$(firstword $(subst :, ,$(shell $(GO) env GOPATH)))/bin)
STATICCHECK := $(GOBIN_DIR)/staticcheck

CORE := GOWORK=off
EINO := cd contrib/eino && GOWORK=$(CURDIR)/go.work
OTEL := cd contrib/otel && GOWORK=$(CURDIR)/go.work

.PHONY: demo server test fmt-check vet lint tools unit fuzz server-deps bench tidy

demo: server-deps
	$(CORE) $(GO) run ./internal/cmd/demo

server: server-deps
	@$(CORE) $(GO) run ./internal/cmd/server

test: fmt-check vet lint server-deps
	$(CORE) $(GO) test -race -count=1 ./...
	$(EINO) $(GO) test -race -count=1 ./...
	$(OTEL) $(GO) test -race -count=1 ./...
	$(MAKE) fuzz

fmt-check:
	@out="$$(gofmt -l .)"; \
	if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

vet:
	$(CORE) $(GO) vet ./...
	$(EINO) $(GO) vet ./...
	$(OTEL) $(GO) vet ./...

lint: tools
	$(CORE) $(STATICCHECK) ./...
	$(EINO) $(STATICCHECK) ./...
	$(OTEL) $(STATICCHECK) ./...

# staticcheck at the pinned version, from the Go module proxy, unless it is
# installed already.
tools:
	@$(STATICCHECK) -version 2>/dev/null | grep -qF '($(STATICCHECK_VERSION:v%=%))' || \
		{ echo "installing staticcheck $(STATICCHECK_VERSION)"; GOWORK=off $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION); }

# The SSE parser's fuzz test, for a bounded time.
fuzz:
	$(CORE) $(GO) test -run='^$$' -fuzz=FuzzReader -fuzztime=$(FUZZTIME) ./internal/sse/

# Unit tests only, without the server (not what CI runs).
unit:
	$(CORE) $(GO) test -short -race ./...
	$(EINO) $(GO) test -short -race ./...
	$(OTEL) $(GO) test -short -race ./...

# go mod tidy for the three modules. The contrib modules require the core at
# the version it is published as, which go mod tidy (it ignores go.work)
# cannot fetch before the core is published: tidy them with a temporary
# replace.
tidy:
	$(CORE) $(GO) mod tidy
	for m in contrib/eino contrib/otel; do \
		(cd $$m && GOWORK=off $(GO) mod edit -replace=github.com/langgraph-go/langgraph=../.. && \
		{ GOWORK=off $(GO) mod tidy; rc=$$?; GOWORK=off $(GO) mod edit -dropreplace=github.com/langgraph-go/langgraph; exit $$rc; }) || exit 1; \
	done

# npm ci for the test server when package-lock.json changed since the last install.
server-deps:
	@cd testdata/server && if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then npm ci --no-audit --no-fund; fi

# The SDK against baselines on the same recorded bytes: time ratios and
# allocations per event (internal/cmd/benchreport), then the micro benchmarks.
bench:
	$(CORE) $(GO) run ./internal/cmd/benchreport
	$(CORE) $(GO) test -run='^$$' -bench=. -benchmem ./internal/sse/ ./runs/
