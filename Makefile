# GammaFlow: the two set-up commands are `make demo` and `make test`.
# Both install the system packages they need (Debian/Ubuntu, apt-get as root
# or through sudo) and say what to do where they cannot.

SWIFT        ?= swift
SCRATCH      ?= .build
DEMO_ASOF    ?= 2026-11-20T15:30:00Z
DEMO_SPOT    ?= 5850
# Tuned code generation for this machine's CPU (AVX-512 / AVX2 + FMA). The
# library itself carries no unsafe flags; these are passed only on request.
TUNED_FLAGS  ?= -Xcc -march=native -Xcc -fno-math-errno -Xswiftc -DGAMMAFLOW_FMA

APT_PACKAGES := libopenblas-dev liblapacke-dev tzdata librsvg2-bin
HEADERS_OK    = test -f /usr/include/x86_64-linux-gnu/cblas.h -o -f /usr/include/cblas.h -o -f /usr/include/aarch64-linux-gnu/cblas.h

.PHONY: demo test deps build release tuned lint docs unit bench bench-smoke clean

## deps: install the Debian/Ubuntu packages GammaFlow links against.
deps:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "GammaFlow needs:$$missing"; \
	  if ! command -v apt-get >/dev/null 2>&1; then \
	    echo "No apt-get here. Install OpenBLAS (cblas.h), LAPACKE (lapacke.h) and a tz database with your package manager."; exit 1; \
	  fi; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else \
	    echo "Run as root, or install them yourself: apt-get install$$missing"; exit 1; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq$$missing >/dev/null \
	    || { echo "apt-get install$$missing failed; install them and re-run."; exit 1; }; \
	fi

build: deps
	$(SWIFT) build --scratch-path $(SCRATCH)

release: deps
	$(SWIFT) build -c release --scratch-path $(SCRATCH) --product gammaflow

## tuned: a release build with code generation for this CPU (not portable).
tuned: deps
	$(SWIFT) build -c release --scratch-path .build-tuned --product gammaflow $(TUNED_FLAGS)

## demo: Greeks of the bundled SPX-like sample chain, with a readable summary.
demo: release
	@$(SCRATCH)/release/gammaflow greeks --chain Examples/data/spx_sample_chain.csv \
	  --spot $(DEMO_SPOT) --rate 0.04 --div-yield 0.013 --as-of $(DEMO_ASOF) --summary

lint:
	$(SWIFT) format lint --strict --recursive Package.swift Sources Tests Examples Benchmarks/Package.swift Benchmarks/Benchmarks

## docs: the DocC catalog, with documentation warnings as errors.
docs:
	@mkdir -p $(SCRATCH)/docs
	$(SWIFT) package --disable-sandbox generate-documentation --target GammaFlow \
	  --output-path $(SCRATCH)/docs/GammaFlow.doccarchive --warnings-as-errors

unit: deps
	$(SWIFT) build --scratch-path $(SCRATCH) --build-tests
	$(SWIFT) test --scratch-path $(SCRATCH) --skip-build

## bench-smoke: a short benchmark run (seconds) proving the suites build and run.
bench-smoke: deps
	cd Benchmarks && BENCHMARK_SMOKE=1 $(SWIFT) package --disable-sandbox benchmark --no-progress --quiet

## bench: the full benchmark suites (minutes); figures go into Docs/Performance.md.
bench: deps
	cd Benchmarks && $(SWIFT) package --disable-sandbox benchmark

## test: lint, build, every test, the DocC catalog and a benchmark smoke.
test: deps lint unit docs bench-smoke
	@echo "make test: lint, build, every test, the DocC catalog and the benchmark smoke passed"

clean:
	rm -rf .build .build-* Benchmarks/.build
