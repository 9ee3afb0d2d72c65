"""The side-by-side runs of bench/evaluate.sh: each case runs ours (the manifoldlab process, JSON out)
and the Python reference on the same files, and prints one markdown row with both times and values."""
import json, os, subprocess, sys, time
import numpy as np

binary, work = sys.argv[1], sys.argv[2]
real, fake, half = (os.path.join(work, f) for f in ("real.npy", "fake.npy", "half.npy"))
X, Y, H = np.load(real), np.load(fake), np.load(half)
rows, failures = [], []


def ours(*arguments):
    """Runs manifoldlab, returns (seconds, {metric(sample): value})."""
    start = time.perf_counter()
    out = subprocess.run([binary, *arguments, "--format", "json"], check=True, capture_output=True, text=True).stdout
    seconds = time.perf_counter() - start
    values = {}
    for line in out.splitlines():
        r = json.loads(line)
        values[r["metric"] if r["sample"] == "both" else f'{r["metric"]}({r["sample"]})'] = r["value"]
    return seconds, values


def timed(f):
    start = time.perf_counter()
    value = f()
    return time.perf_counter() - start, value


def row(case, t_ours, t_ref, pairs, tolerance):
    worst = max(abs(a - b) for a, b in pairs)
    agree = worst <= tolerance
    if not agree:
        failures.append(f"{case}: {pairs}")
    values = "; ".join(f"{a:.10g} vs {b:.10g}" for a, b in pairs)
    rows.append(f"| {case} | {t_ours:.2f} | {t_ref:.2f} | {t_ref / t_ours:.1f}× | {values} | max diff {worst:.1e} ({'ok' if agree else 'FAIL'} at {tolerance:g}) |")


# 1. precision/recall (k = 3) and density/coverage (k = 5) vs prdc: two prdc calls, one of ours.
from prdc import compute_prdc
import contextlib, io
t_ours, v = ours("evaluate", "--real", "file:" + real, "--fake", "file:" + fake, "--metrics", "prdc")
def both():
    with contextlib.redirect_stdout(io.StringIO()):  # prdc prints its sizes
        a = compute_prdc(X, Y, 3)
        b = compute_prdc(X, Y, 5)
    return a, b
t_ref, (p3, p5) = timed(both)
row(f"precision, recall (k=3), density, coverage (k=5), n={len(X)} D=64 (prdc: 2 calls)", t_ours, t_ref,
    [(v["precision"], p3["precision"]), (v["recall"], p3["recall"]), (v["density"], p5["density"]), (v["coverage"], p5["coverage"])], 1e-9)

# 2. TwoNN and Levina–Bickel (k = 20) vs scikit-dimension, n/2 points.
import skdim
t_ours, v = ours("dimension", "--p", "file:" + half, "--k-min", "20", "--k-max", "20")
t_ref, (twonn, mle) = timed(lambda: (skdim.id.TwoNN().fit(H).dimension_, skdim.id.MLE().fit(H).dimension_))
row(f"TwoNN + MLE (k=20), n={len(H)} D=64 (scikit-dimension)", t_ours, t_ref,
    [(v["dimension_twonn(p)"], twonn), (v["dimension_mle(p)"], mle)], 1e-6)

# 3. KID on all points (one subset: deterministic) and the FID formula vs torch-fidelity, float64.
import torch
from torch_fidelity.metric_kid import kid_features_to_metric
from torch_fidelity.metric_fid import fid_statistics_to_metric
t_ours, v = ours("evaluate", "--real", "file:" + real, "--fake", "file:" + fake, "--metrics", "kid", "fd",
                 "--kid-subsets", "1", "--kid-subset-size", str(len(X)))
def reference():
    kid = kid_features_to_metric(torch.from_numpy(X), torch.from_numpy(Y), kid_subsets=1, kid_subset_size=len(X), verbose=False)
    stats = [{"mu": np.mean(Z, axis=0), "sigma": np.cov(Z, rowvar=False)} for Z in (X, Y)]
    fid = fid_statistics_to_metric(stats[0], stats[1], verbose=False)
    return kid["kernel_inception_distance_mean"], fid["frechet_inception_distance"]
t_ref, (kid, fid) = timed(reference)
row(f"KID (all points) + FID formula, n={len(X)} D=64 (torch-fidelity; one time for both)", t_ours, t_ref,
    [(v["kid"], kid)], 1e-9 * max(1, abs(kid)))
# torch-fidelity takes √ of the eigenvalues of Σ₁Σ₂, a non-symmetric product: the real torus's Σ has rank 3,
# so 61 of them are round-off (~1e-17) whose roots (~3e-9 each) add up; ours uses the symmetric form.
row("  the FID formula of the same run", t_ours, t_ref, [(v["frechet_distance"], fid)], 1e-6 * max(1, abs(fid)))

# 4. KID as papers run it: 100 subsets of 1000 (values differ by the subsets drawn: compared within 3 std/√100).
t_ours, v = ours("evaluate", "--real", "file:" + real, "--fake", "file:" + fake, "--metrics", "kid")
t_ref, k = timed(lambda: kid_features_to_metric(torch.from_numpy(X), torch.from_numpy(Y), verbose=False))
row(f"KID, 100 subsets of 1000, n={len(X)} D=64 (torch-fidelity)", t_ours, t_ref,
    [(v["kid"], k["kernel_inception_distance_mean"])], 3 * k["kernel_inception_distance_std"] / 10)

# 5. Every metric of `evaluate` at once (no reference does all of them), with and without the classifier bound.
t_all, _ = ours("evaluate", "--real", "file:" + real, "--fake", "file:" + fake)
t_fast, _ = ours("evaluate", "--real", "file:" + real, "--fake", "file:" + fake,
                 "--metrics", "fd", "kid", "mmd", "prdc", "wasserstein", "dimension")
rows.append(f"| all of `evaluate`, n={len(X)} per side, D=64 | {t_all:.2f} | — | — | without the classifier bound: {t_fast:.2f} s | — |")

print("| case | ours (s) | reference (s) | reference/ours | ours vs reference | agreement |")
print("|---|---|---|---|---|---|")
print("\n".join(rows))
if failures:
    print("DISAGREEMENT:\n" + "\n".join(failures), file=sys.stderr)
    sys.exit(1)
