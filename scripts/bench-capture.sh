#!/bin/sh
# Capture benchmark (issue 4): echo traffic on loopback captured by echolab and by tcpdump at
# the same time, alone and beside unrelated traffic. Prints both CPU times and their ratio.
# Needs root (or CAP_NET_RAW) and tcpdump. ECHOLAB_BENCH_SECS sets the duration (default 10).
set -eu
cd "$(dirname "$0")/.."
exec cargo test --release --test integration live::bench_capture_against_tcpdump -- \
    --ignored --nocapture --test-threads=1
