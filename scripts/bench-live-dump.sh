#!/bin/sh
# Live dump benchmark (issue 4): `echolab bench` load on a UDP echoServer captured by
# `echolab dump -i lo -w` and `tcpdump -i lo -w` at the same time, alone and beside unrelated
# load on another port. Prints both capture counts, CPU times and their ratio.
# Needs root (or CAP_NET_RAW) and tcpdump. ECHOLAB_BENCH_SECS sets the duration (default 10).
set -eu
cd "$(dirname "$0")/.."
exec cargo test --release --test integration live_dump::bench_dump_against_tcpdump -- \
    --ignored --nocapture --test-threads=1
