#!/usr/bin/env bash
# Counts of a `make fuzz` log (one line per run: exit status, command line, first stderr line):
# runs per subcommand, and runs per exit status (0 done, 64-78 refused with one line, 130 interrupted).
set -euo pipefail
log=${1:-.build/fuzz.log}
echo "fuzz: $(wc -l < "$log") runs"
awk -F'\t' '{ split($2, words, " "); runs[words[1]]++ } END { for (c in runs) printf "  %-20s %6d runs\n", c, runs[c] }' "$log" | sort
awk -F'\t' '{ status[$1]++ } END { for (s in status) printf "  exit %-4s %6d runs\n", s, status[s] }' "$log" | sort -k2 -n
