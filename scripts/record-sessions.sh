#!/usr/bin/env bash
# Re-record fixtures/sessions/: the four sessions of the report in 000_85775b57d986e02e.txt,
# played by echolab's own echoServer and echoClient on loopback port 4002 (the report's) with
# the report's inputs, captured by `tcpdump -i lo -w` (echolab's `dump` command has no live
# `-i` yet), then printed by `TZ=UTC tcpdump -r FILE -nnvvXS` into FILE's .txt neighbour.
#
#   scripts/record-sessions.sh [PORT]      needs root (capture) and tcpdump
#
# Continuous sessions type one key every 50 ms through a pipe, so each key leaves in its own
# segment or datagram (the client reads a pipe byte by byte as bytes come). A recording is
# never the same twice byte for byte (ports, sequence numbers, timestamps): `echolab diff`
# compares what must not change.
set -euo pipefail
cd "$(dirname "$0")/.."
port=${1:-4002}
out=fixtures/sessions
command -v tcpdump >/dev/null || { echo "record-sessions: tcpdump is not installed" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "record-sessions: capturing on lo needs root" >&2; exit 1; }
cargo build --quiet --bins
bin=target/debug
mkdir -p "$out"

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

# keys DELAY ARGS...: print each argument (printf escapes allowed), DELAY seconds apart.
keys() {
  local delay=$1; shift
  for k in "$@"; do printf "$k"; sleep "$delay"; done
  sleep 0.3
}

# record NAME PROTO SERVER-FLAGS CLIENT-FLAGS INPUT-COMMAND...
record() {
  local name=$1 proto=$2 sflags=$3 cflags=$4; shift 4
  local pcap=$out/$name.pcap
  local log; log=$(mktemp)
  tcpdump -i lo --immediate-mode -U -w "$pcap" "port $port" 2>"$log" &
  local dump=$!
  pids+=("$dump")
  until grep -q listening "$log"; do sleep 0.05; done
  # shellcheck disable=SC2086
  "$bin/echoServer" -t "$proto" -p "$port" $sflags >/dev/null &
  local server=$!
  pids+=("$server")
  sleep 0.3
  # shellcheck disable=SC2086
  "$@" | "$bin/echoClient" -t "$proto" -p "$port" $cflags
  sleep 0.3
  kill "$server"; wait "$server" || true
  kill -INT "$dump"; wait "$dump" || true
  rm -f "$log"
  TZ=UTC tcpdump -r "$pcap" -nnvvXS > "$out/$name.txt" 2>/dev/null
  echo "record-sessions: $pcap: $(wc -l < "$out/$name.txt") lines of text" >&2
}

record tcp-line TCP "" "" keys 0.2 'HELLO MASTER\n' 'WELCOME BACK\n' 'quit\n'
record tcp-continuous TCP -c -c keys 0.05 L I F E '\n'
record udp-line UDP "" "" keys 0.2 'HELLO MASTER-UDP\n' 'WELCOME BACK MASTER-UDP\n' '\n'
record udp-continuous UDP -c -c keys 0.05 A B C '!' '"'
tcpdump --version 2>&1 | sed -n '1,2p' > "$out/TCPDUMP_VERSION"
