# Huying (呼应) — the two commands: `make run` and `make test`.
GO      ?= go
BIN     := bin/huying
BENCH   := bin/huying-bench
DATA    ?= ./data
ADDR    ?= 127.0.0.1:8080
VERSION ?= $(shell git describe --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.version=$(VERSION)
# The console is built when its sources are present (web/package.json), and
# rebuilt only when its sources or its lock file changed (make's own rules).
WEB     := $(wildcard web/package.json)
WEB_SRC := $(shell find web/src -type f 2>/dev/null) web/index.html web/vite.config.ts web/tsconfig.json
WEB_OUT := $(if $(WEB),web/dist/index.html)

.PHONY: help run build build-go web test test-go test-web test-race lint bench eval e2e clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

run: build ## set up everything and serve the console with 坪山区 demo data on SQLite
	$(BIN) serve --demo --data $(DATA) --addr $(ADDR)

build: $(WEB_OUT) ## build bin/huying (with the console embedded when web/ is there)
	CGO_ENABLED=0 $(GO) build -trimpath $(if $(WEB),-tags webui) -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/huying

build-go: ## build bin/huying without the console
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/huying

web: web/dist/index.html ## install the console's npm packages and build it into web/dist (when changed)

web/node_modules/.package-lock.json: web/package-lock.json web/package.json
	cd web && npm ci --no-audit --no-fund
	touch $@

web/dist/index.html: web/node_modules/.package-lock.json $(WEB_SRC)
	cd web && npm run build
	touch $@

test: test-go $(if $(WEB),test-web) ## all tests: Go (SQLite and a throwaway PostgreSQL cluster) and the console's unit tests

test-go: open311/client/node_modules/.package-lock.json
	$(GO) test -count=1 ./...

# The npm Open311 client that open311's TestNodeClient drives.
open311/client/node_modules/.package-lock.json: open311/client/package-lock.json open311/client/package.json
	cd open311/client && npm ci --no-audit --no-fund
	touch $@

test-web: web/node_modules/.package-lock.json
	cd web && npm test

test-race: ## Go tests with the race detector
	$(GO) test -race -count=1 ./...

lint: ## go vet and gofmt
	$(GO) vet ./...
	@test -z "$$(gofmt -l . | grep -v '^web/node_modules/')" || (gofmt -l . ; echo "gofmt would change the files above"; exit 1)

bench: ## benchmarks (bin/huying-bench, not in the shipped binary): intake vs a bare baseline, a sweep tick over 1M appeals (SQLite, PostgreSQL), SLA, places, classifier
	CGO_ENABLED=0 $(GO) build -trimpath -o $(BENCH) ./cmd/huying-bench
	$(BENCH) intake --duration 10s --clients 16
	$(BENCH) sweep --appeals 1000000 --due 10000
	$(BENCH) sweep --appeals 1000000 --due 10000 --pg
	$(GO) test -run '^$$' -bench . -benchmem ./sla/ ./place/ ./classify/

SHARED ?= ../shared/data/teddy2020
eval: build-go ## full-data evaluations from ../shared: the classifier's 5-fold grouped CV against the NB baseline, retraining with the base corpus
	HUYING_TEDDY2020=$(abspath $(SHARED)) $(GO) test -count=1 -tags eval -run 'Retrain' ./cmd/huying
	$(BIN) classify cv --data $(SHARED)/train.csv --folds 5 --group-column dup_group --text-column 分词文本 --label-column 一级标签 --json --baseline

e2e: build ## browser tests: Playwright (playwright-core) with Debian's chromium (apt-get install chromium) against the real binary
	cd e2e && npm ci --no-audit --no-fund && HUYING_BIN=$(CURDIR)/$(BIN) node --test run.mjs scale.mjs

clean: ## remove built files (not the data directory)
	rm -rf bin web/dist
