#!/usr/bin/env bash
# Run the echo benchmark: echoServer against examples/tokio_echo and socat, driven by the
# verified load generator of `echolab bench` (benches/echo.rs).
#
#   scripts/bench-echo.sh          full run (about 3 minutes on 2 CPUs)
#   scripts/bench-echo.sh quick    1 s per cell, 2,000 idle connections (about 1.5 minutes)
#
# Environment (see benches/echo.rs): ECHOLAB_BENCH_SECS, ECHOLAB_BENCH_ROUNDS,
# ECHOLAB_BENCH_IDLE, ECHOLAB_SERVER (another server under test), ECHOLAB_TOKIO_ECHO.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v socat >/dev/null 2>&1; then
  echo "bench-echo: socat is not installed (apt-get install socat); it will be left out" >&2
fi
if [ "${1:-}" = quick ]; then
  export ECHOLAB_BENCH_SECS="${ECHOLAB_BENCH_SECS:-1}"
  export ECHOLAB_BENCH_IDLE="${ECHOLAB_BENCH_IDLE:-2000}"
fi
cargo build --release --bin echoServer --bin echolab --example tokio_echo
exec cargo bench --bench echo
