#!/usr/bin/env bash
# Times commands side by side: ROUNDS rounds, each running every command once in turn (so load from other processes
# falls on all of them alike), then the median and the minimum wall-clock seconds of each. Output is discarded.
#   tools/time-osl.sh ROUNDS 'label=command' ['label=command' ...]
set -euo pipefail
rounds=$1; shift
declare -a labels cmds
for spec in "$@"; do labels+=("${spec%%=*}"); cmds+=("${spec#*=}"); done
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
for ((r = 0; r < rounds; r++)); do
  for i in "${!cmds[@]}"; do
    start=$(date +%s.%N)
    bash -c "${cmds[$i]}" >/dev/null 2>&1 || { echo "failed: ${cmds[$i]}" >&2; exit 1; }
    end=$(date +%s.%N)
    echo "$end - $start" | bc >> "$tmp/$i"
  done
done
for i in "${!cmds[@]}"; do
  sort -g "$tmp/$i" | awk -v l="${labels[$i]}" '{a[NR]=$1} END {printf "%-28s median %.3f s  min %.3f s  (%d runs)\n", l, (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2), a[1], NR}'
done
