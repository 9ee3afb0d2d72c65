#!/usr/bin/env bash
# Trainer speed, manifoldlab train-toy vs the PyTorch reference (bench/torch_gan.py), interleaved:
# for each configuration ours runs, then PyTorch's, so both see the same machine load.
#
#   bench/train.sh            H ∈ {128, 512} × D ∈ {2, 64, 512} × {float32, float64}, 1 thread,
#                             then H = 128, D = 64, float32 with 2 threads (OMP_WAIT_POLICY=PASSIVE)
#   bench/train.sh --quick    H = 128, D ∈ {2, 64}, float32, 1 thread, 1 s per run
#
# Same workload on both sides: G k=1 → H → H → D and D → H → H → 1 (ReLU, nn.Linear initialisation),
# Adam lr 1e-4 β (0.5, 0.999), batch B = 256, minimax loss on logits, one D step + one G step per
# iteration, data on a unit circle in a random 2-plane of R^D, latent N(0, 1).
# Steps/s: ours from train-toy's steps_per_second (diagnostics excluded; logging only at the first
# and last step), PyTorch's from its timed loop after warm-up. Peak memory: /usr/bin/time's maximum
# resident set. First step: wall time of a whole `train-toy --steps 1` process (launch, re-exec for
# the OpenBLAS kernels, set-up, one step and its diagnostics: an upper bound) vs torch_gan.py's
# launch-to-first-step from /proc.
# Env: HIDDEN, DIMS, DTYPES, SECONDS_PER_CONFIG (3), BATCH (256). Output: JSON lines on stdout, a
# Markdown table on stderr at the end. Sets up bench/.venv with torch from PyPI on first use.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
venv="$here/.venv"
bin="$root/.build/release/manifoldlab"

HIDDEN="${HIDDEN:-128 512}"
DIMS="${DIMS:-2 64 512}"
DTYPES="${DTYPES:-float32 float64}"
SECONDS_PER_CONFIG="${SECONDS_PER_CONFIG:-3}"
BATCH="${BATCH:-256}"
TWO_THREADS=1
if [[ "${1:-}" == "--quick" ]]; then
  HIDDEN=128; DIMS="2 64"; DTYPES=float32; SECONDS_PER_CONFIG=1; TWO_THREADS=0
fi

[[ -x "$bin" ]] || (cd "$root" && swift build -c release --static-swift-stdlib >&2)  # as `make build` does
if [[ ! -x "$venv/bin/python" ]]; then
  python3 -m venv "$venv" || { apt-get update -qq >&2 && apt-get install -y -qq python3-venv >&2 && python3 -m venv "$venv"; }
fi
if ! "$venv/bin/python" -c "import torch" >/dev/null 2>&1; then
  echo "train.sh: installing torch (CPU wheel from PyPI) into $venv" >&2
  "$venv/bin/pip" install --quiet --disable-pip-version-check torch numpy >&2
fi

results="$(mktemp)"
trap 'rm -f "$results"' EXIT

ours() { # H D dtype threads
  local precision=double; [[ "$3" == float32 ]] && precision=float
  local common=(train-toy --data circle --latent-dist normal --hidden "$1" --dim "$2" --batch "$BATCH"
                --precision "$precision" --w1 sliced --eval-points 100 --format json)
  # Calibrate the step count to the time budget, then time.
  local rate steps peak first start end
  rate=$("$bin" "${common[@]}" --steps 20 --log-every 20 | "$venv/bin/python" -c 'import json,sys; print(json.load(sys.stdin)["steps_per_second"])')
  steps=$("$venv/bin/python" -c "print(max(20, int($rate * $SECONDS_PER_CONFIG)))")
  local json
  json=$(OPENBLAS_NUM_THREADS="$4" /usr/bin/time -f "%M" -o "$results.rss" "$bin" "${common[@]}" --steps "$steps" --log-every "$steps")
  peak=$(tail -1 "$results.rss")
  start=$(date +%s.%N)
  "$bin" "${common[@]}" --steps 1 --log-every 1 >/dev/null
  end=$(date +%s.%N)
  "$venv/bin/python" - "$json" "$peak" "$start" "$end" "$3" "$4" <<'EOF'
import json, sys
d = json.loads(sys.argv[1])
print(json.dumps({"impl": "manifoldlab", "dtype": sys.argv[5], "threads": int(sys.argv[6]), "H": d["hidden"], "D": d["dim"],
                  "B": d["batch"], "steps_per_s": round(d["steps_per_second"], 2), "measured_steps": d["steps_run"],
                  "peak_rss_mb": round(int(sys.argv[2]) / 1024, 1),
                  "launch_to_first_step_s": round(float(sys.argv[4]) - float(sys.argv[3]), 3)}))
EOF
}

theirs() { # H D dtype threads
  if [[ "$4" -gt 1 ]]; then export OMP_WAIT_POLICY=PASSIVE; else unset OMP_WAIT_POLICY; fi
  OMP_NUM_THREADS="$4" /usr/bin/time -f "%M" -o "$results.rss" "$venv/bin/python" "$here/torch_gan.py" \
    --hidden "$1" --dim "$2" --batch "$BATCH" --dtype "$3" --threads "$4" --seconds "$SECONDS_PER_CONFIG" \
    --latent 1
  unset OMP_WAIT_POLICY
}

run_pair() {
  echo "train.sh: H=$1 D=$2 $3 threads=$4" >&2
  ours "$@" | tee -a "$results"
  theirs "$@" | tee -a "$results"
}

for dtype in $DTYPES; do
  for h in $HIDDEN; do
    for d in $DIMS; do run_pair "$h" "$d" "$dtype" 1; done
  done
done
if [[ "$TWO_THREADS" == 1 ]]; then run_pair 128 64 float32 2; fi

"$venv/bin/python" - "$results" >&2 <<'EOF'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
key = lambda r: (r["dtype"], r["threads"], r["H"], r["D"])
ours = {key(r): r for r in rows if r["impl"] == "manifoldlab"}
torch = {key(r): r for r in rows if r["impl"] == "pytorch"}
print("| dtype | threads | H | D | ours steps/s | PyTorch steps/s | ratio | ours peak MB | PyTorch peak MB | ours first step s | PyTorch first step s |")
print("|---|---|---|---|---|---|---|---|---|---|---|")
for k in ours:
    o, t = ours[k], torch.get(k)
    if t is None: continue
    print(f"| {k[0]} | {k[1]} | {k[2]} | {k[3]} | {o['steps_per_s']} | {t['steps_per_s']} | {o['steps_per_s']/t['steps_per_s']:.2f}× "
          f"| {o['peak_rss_mb']} | {t['peak_rss_mb']} | {o['launch_to_first_step_s']} | {t['launch_to_first_step_s']} |")
EOF
