#!/usr/bin/env bash
# Counts of a `make fuzz` log (one line per run: exit status, command line, first stderr line):
# runs per subcommand, and runs per exit status (0 done, 64-78 refused with one line, 130 interrupted).
# Lines that do not start with a status and a command (a stderr text broken over lines) are skipped.
set -euo pipefail
log=${1:-.build/fuzz.log}
awk -F'\t' '$1 ~ /^[0-9]+$/ && NF >= 2 { split($2, words, " "); runs[words[1]]++; status[$1]++; total++ }
    END {
        printf "fuzz: %d runs\n", total
        for (c in runs) printf "  %-20s %6d runs\n", c, runs[c]
        for (s in status) printf "  exit %-4s %6d runs\n", s, status[s]
    }' "$log"
