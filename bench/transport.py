#!/usr/bin/env python3
"""Side-by-side timing of manifoldlab's transport module against POT on the same inputs.

Run through bench/transport.sh (it builds the release binary and the venv). Each case draws two
point sets with a fixed numpy seed, writes them as raw float64, and times, interleaved and
repeated, our `manifoldlab-bench` (library call only, cost matrix included) and POT in this process
(ot.dist + solver). Prints a Markdown table: seconds, ratio theirs/ours, and agreement of values.
"""
import argparse, json, os, platform, subprocess, sys, tempfile, time

import numpy as np
import ot
from threadpoolctl import threadpool_info


def native_core():
    """OpenBLAS kernels for this CPU: SkylakeX needs AVX-512 (it dies of SIGILL on AVX2-only EPYCs)."""
    with open("/proc/cpuinfo") as f:
        flags = f.read()
    return "SkylakeX" if "avx512f" in flags else "Haswell"

HERE = os.path.dirname(os.path.abspath(__file__))
OURS = os.path.join(HERE, "..", ".build", "release", "manifoldlab-bench")


def clouds(n, d, seed):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, d))
    # A different, non-translated law: scaled, shifted and anisotropic.
    y = rng.standard_normal((n, d)) * np.linspace(0.5, 1.5, d) + 0.3
    return x, y


def ours(method, xf, yf, d, repeat, **opts):
    env = dict(os.environ, OPENBLAS_CORETYPE=os.environ.get("MANIFOLDLAB_CORETYPE", native_core()))
    args = [OURS, method, xf, yf, str(d), f"repeat={repeat}"] + [f"{k}={v}" for k, v in opts.items()]
    out = subprocess.run(args, env=env, check=True, capture_output=True, text=True).stdout
    o = json.loads(out)
    return o["seconds"], o["result"]


def timed(fn, repeat):
    best, value = float("inf"), None
    for _ in range(repeat):
        t = time.perf_counter()
        value = fn()
        best = min(best, time.perf_counter() - t)
    return best, value


def pot_exact(x, y, p):
    M = ot.dist(x, y, metric="sqeuclidean" if p == 2 else "euclidean")
    n, m = len(x), len(y)
    return ot.emd2(np.full(n, 1.0 / n), np.full(m, 1.0 / m), M, numItermax=100_000_000)


def pot_sinkhorn(x, y, rel_eps):
    M = ot.dist(x, y)
    n, m = len(x), len(y)
    return float(ot.sinkhorn2(np.full(n, 1.0 / n), np.full(m, 1.0 / m), M, rel_eps * M.max(),
                              method="sinkhorn_log", numItermax=10_000, stopThr=1e-6))


def pot_sliced(x, y, L):
    return float(ot.sliced_wasserstein_distance(x, y, n_projections=L, p=2, seed=0))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="n ≤ 2000 and one repeat (a smoke run)")
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--only", choices=["exact", "sinkhorn", "sliced"], default=None)
    a = ap.parse_args()
    repeat = 1 if a.quick else a.repeat
    sizes = [1000, 2000] if a.quick else [1000, 2000, 4000]
    blas = ", ".join(f"{i.get('internal_api')}:{i.get('architecture')}" for i in threadpool_info())
    print(f"<!-- {time.strftime('%Y-%m-%d %H:%M')} | {platform.processor() or platform.machine()} | "
          f"{os.cpu_count()} cores | POT {ot.__version__}, numpy {np.__version__} ({blas}) -->")
    print("| case | ours (s) | POT (s) | POT/ours | ours value | POT value | agreement |")
    print("|---|---|---|---|---|---|---|")
    tmp = tempfile.mkdtemp(prefix="transport-bench-")
    failures = 0

    def files(x, y, tag):
        xf, yf = os.path.join(tmp, f"x{tag}.bin"), os.path.join(tmp, f"y{tag}.bin")
        x.astype("<f8").tofile(xf); y.astype("<f8").tofile(yf)
        return xf, yf

    def row(case, t_ours, t_pot, v_ours, v_pot, agree):
        print(f"| {case} | {t_ours:.3f} | {t_pot:.3f} | {t_pot / t_ours:.1f}× | {v_ours:.12g} | {v_pot:.12g} | {agree} |",
              flush=True)

    if a.only in (None, "exact"):
        for d in (3, 64):
            for n in sizes:
                x, y = clouds(n, d, seed=n + d)
                xf, yf = files(x, y, f"{n}_{d}")
                for p in (1, 2):
                    to, tp = float("inf"), float("inf")
                    for _ in range(repeat):  # interleaved: ours, then POT, then again
                        t, r = ours("exact", xf, yf, d, 1, order=p)
                        to = min(to, t)
                        t, vp = timed(lambda: pot_exact(x, y, p), 1)
                        tp = min(tp, t)
                    vo = r["cost"]
                    rel = abs(vo - vp) / abs(vp)
                    failures += rel > 1e-9
                    row(f"exact W{p} n={n} D={d} ({r['solver']})", to, tp, vo, vp, f"rel {rel:.1e}")

    if a.only in (None, "sinkhorn"):
        n, d, rel_eps = (2000 if a.quick else 4000), 3, 0.05
        x, y = clouds(n, d, seed=7)
        xf, yf = files(x, y, "sk")
        to, tl, tp = float("inf"), float("inf"), float("inf")
        for _ in range(repeat):
            t, r = ours("sinkhorn", xf, yf, d, 1, epsilon=rel_eps, tolerance=1e-6)
            to = min(to, t)
            t, rl = ours("sinkhorn", xf, yf, d, 1, epsilon=rel_eps, tolerance=1e-6, path="log-domain")
            tl = min(tl, t)
            t, vp = timed(lambda: pot_sinkhorn(x, y, rel_eps), 1)
            tp = min(tp, t)
        for res, t in ((r, to), (rl, tl)):
            vo = res["transport_cost"]
            row(f"{res['solver']} ⟨P,C⟩ n={n} D={d} ε=0.05·max C (ours also S_ε = {res['sinkhorn_divergence']:.6g}, "
                f"{res['iterations']} x–y iterations)", t, tp, vo, vp, f"rel {abs(vo - vp) / abs(vp):.1e}")

    if a.only in (None, "sliced"):
        n, d, L = 10_000, 64, 200
        x, y = clouds(n, d, seed=11)
        xf, yf = files(x, y, "sl")
        to, tp = float("inf"), float("inf")
        for _ in range(repeat + 1):
            t, r = ours("sliced", xf, yf, d, 1, projections=L)
            to = min(to, t)
            t, vp = timed(lambda: pot_sliced(x, y, L), 1)
            tp = min(tp, t)
        vo = r["value"]
        z = abs(vo - vp) / r["standard_error"]
        row(f"sliced SW2 n={n} D={d} L={L}", to, tp, vo, vp, f"{z:.1f} s.e. apart (s.e. {r['standard_error']:.2g})")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
