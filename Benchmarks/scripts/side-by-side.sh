#!/usr/bin/env bash
# Side-by-side Greeks figures for Docs/Performance.md, in one run:
#   default (portable) and tuned builds of the Swift kernels, the hand-written
#   AVX-512 C yardstick, numpy/scipy; n = 1k, 100k, 1M; 1 and 2 threads.
# Usage: Benchmarks/scripts/side-by-side.sh [OUTDIR]   (from the repository root)
# Env: SIZES (default 1000,100000,1000000), RUNS (default 7), TUNED_FLAGS (see below).
set -euo pipefail
cd "$(dirname "$0")/../.."
out="${1:-.build-bench/side-by-side}"
mkdir -p "$out"
sizes="${SIZES:-1000,100000,1000000}"
runs="${RUNS:-7}"
# Tuned code generation for the Swift kernels, as `make tuned`: the host CPU, no errno
# for sqrt, so SIMD8 squareRoot() becomes one vsqrtpd (see Docs/Performance.md).
tuned_flags=(${TUNED_FLAGS:--Xcc -march=native -Xcc -fno-math-errno -Xswiftc -DGAMMAFLOW_FMA})

echo "== building (default and tuned)" >&2
swift build -c release --package-path Benchmarks --product greeks-yardstick >&2
swift build -c release --package-path Benchmarks --scratch-path Benchmarks/.build-tuned --product greeks-yardstick \
    "${tuned_flags[@]}" >&2
default_bin="$(swift build -c release --package-path Benchmarks --show-bin-path)/greeks-yardstick"
tuned_bin="$(swift build -c release --package-path Benchmarks --scratch-path Benchmarks/.build-tuned --show-bin-path "${tuned_flags[@]}")/greeks-yardstick"

echo "== default build" >&2
"$default_bin" --n "$sizes" --runs "$runs" --label default > "$out/default.json"
echo "== tuned build" >&2
"$tuned_bin" --n "$sizes" --runs "$runs" --label tuned > "$out/tuned.json"
"$default_bin" --n "$sizes,20000" --dump "$out" >&2
echo "== numpy/scipy" >&2
python3 Benchmarks/python/greeks_numpy.py --chain-dir "$out" --n ${sizes//,/ } --runs "$runs" > "$out/numpy.json"
python3 Benchmarks/scripts/table.py "$out/default.json" "$out/tuned.json" "$out/numpy.json"
