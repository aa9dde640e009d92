#!/bin/sh
# Speed of the space-time scan: 3,000 areas x 365 days x 999 replicates
# (release build; prints wall and CPU seconds). Options via environment:
# HOTLINE_SCAN_BENCH_CASES (36500), _AREAS (3000), _RADIUS (3 km),
# _MAXDAYS (7), _THREADS (2), _REPLICATES (999), _ANALYSIS (retrospective or
# prospective; both by default). Each line ends with a fingerprint of every
# replicate's maximum LLR: a faster kernel must print the same one.
set -e
cd "$(dirname "$0")/.."
HOTLINE_SCAN_BENCH=1 swift test -c release --filter scanBenchmark 2>&1 | grep -E "^scan |error|passed|failed"
