# The two commands a new user needs:
#   make demo   start the local real LangGraph server (custom auth), run
#               examples/quickstart against it as two users, stop the server
#   make test   gofmt check, go vet, and every test with the race detector
#               against the real server (started by the tests themselves)

GO ?= go
FUZZTIME ?= 10s

.PHONY: demo test fmt-check vet unit fuzz server-deps bench

demo: server-deps
	$(GO) run ./internal/cmd/demo

test: fmt-check vet server-deps
	$(GO) test -race -count=1 ./...
	cd contrib/eino && $(GO) vet ./... && $(GO) test -race -count=1 ./...
	$(MAKE) fuzz

fmt-check:
	@out="$$(gofmt -l .)"; \
	if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...

# The SSE parser's fuzz test, for a bounded time.
fuzz:
	$(GO) test -run='^$$' -fuzz=FuzzReader -fuzztime=$(FUZZTIME) ./internal/sse/

# Unit tests only, without the server (not what CI runs).
unit:
	$(GO) test -short -race ./...
	cd contrib/eino && $(GO) test -short -race ./...

# npm ci for the test server when package-lock.json changed since the last install.
server-deps:
	@cd testdata/server && if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then npm ci --no-audit --no-fund; fi

bench:
	$(GO) test -run='^$$' -bench=. -benchmem ./internal/sse/ ./runs/
