#!/usr/bin/env bash
# Regenerate the expected outputs of fixtures/dump/*/MANIFEST by running tcpdump on each input
# with the line's flags (TZ=UTC), and record the tcpdump version used.
#
#   scripts/regen-goldens.sh            all groups
#   scripts/regen-goldens.sh tcp net    some groups
set -euo pipefail
cd "$(dirname "$0")/.."
command -v tcpdump >/dev/null || { echo "regen-goldens: tcpdump is not installed (apt-get install -y tcpdump)" >&2; exit 1; }
tcpdump --version 2>&1 | sed -n '1,2p' > fixtures/dump/TCPDUMP_VERSION
groups=("$@")
if [ ${#groups[@]} -eq 0 ]; then
  for m in fixtures/dump/*/MANIFEST; do groups+=("$(basename "$(dirname "$m")")"); done
fi
for g in "${groups[@]}"; do
  dir=fixtures/dump/$g
  while read -r name input expected flags; do
    case "$name" in ''|'#'*) continue ;; esac
    # shellcheck disable=SC2086
    (cd "$dir" && TZ=UTC tcpdump -r "$input" $flags > "$expected" 2>/dev/null) || true
    echo "$g/$name: $(wc -l < "$dir/$expected") lines"
  done < "$dir/MANIFEST"
done
