#!/usr/bin/env python3
"""Wasserstein at 10^4–10^6 points (issue #18): manifoldlab's Sinkhorn against POT and GeomLoss.

Run through bench/sinkhorn-large.sh (it makes bench/.venv with numpy, POT, torch, geomloss and
pykeops from PyPI). For each case the driver draws two clouds with fixed numpy seeds, writes them as
raw little-endian float64 (n × D, row-major), computes the diameter as the library does
(2 · the largest distance of any point of either cloud to the mean of both clouds) and the blur
diameter/64 (the library's default for p = 2), then runs every tool in its own process under
`/usr/bin/time -v timeout <cap>`: the value, its relative difference to exact W2 (where exact ran),
the tool's own seconds (solve only, cost matrices included; imports, file reading and KeOps
compilation excluded), the wall time of the whole process and its maximum resident set.

Every tool estimates W2 of the same two clouds at the same ε on the cost C = |x − y|²:
  - manifoldlab-bench sinkhorn (library default: path=automatic, blur = diameter/64), tolerance=1e-3;
  - POT ot.sinkhorn(method='sinkhorn_log', reg = ε = blur², M = ot.dist(x, y)) for xy, xx and yy;
  - GeomLoss SamplesLoss('sinkhorn', p=2, debias=True): its cost is |x − y|²/2 with ε_G = blur_G², so the
    same ε on C means blur_G = blur/√2 and W2 ≈ sqrt(2 · loss).
Usage (the driver): sinkhorn_large.py [--quick] [--huge] [--timeout S] [--out FILE]
Usage (one tool, used by the driver): sinkhorn_large.py worker TOOL X.bin Y.bin D key=value ...
"""
import argparse, datetime, hashlib, json, math, os, platform, re, shlex, shutil, subprocess, sys, tempfile, time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
BINARY = os.path.join(ROOT, ".build", "release", "manifoldlab-bench")
MEMORY_LIMIT = 4e9          # bytes of one n × n float64 matrix above which the dense tools are not run
EXACT_LIMIT = 10_000        # exact solvers (O(n²) memory) only up to this n per side
NOISE = 1e-3                # isotropic Gaussian noise added to every cloud


# ----------------------------------------------------------------------------- clouds

def helix(n, seed):
    rng = np.random.default_rng(seed)
    t = rng.uniform(0.0, 1.0, n)
    p = 0.8 * np.stack([np.cos(4 * np.pi * t), np.sin(4 * np.pi * t), 2 * t - 1], axis=1)
    return p + NOISE * rng.standard_normal(p.shape)


def torus3(n, rng, R, r):
    u, v = rng.uniform(0.0, 2 * np.pi, n), rng.uniform(0.0, 2 * np.pi, n)
    return np.stack([(R + r * np.cos(v)) * np.cos(u), (R + r * np.cos(v)) * np.sin(u), r * np.sin(v)], axis=1)


def torus(n, seed, R=0.7, r=0.2):
    rng = np.random.default_rng(seed)
    p = torus3(n, rng, R, r)
    return p + NOISE * rng.standard_normal(p.shape)


def embedding(D=64, seed=64):
    """A fixed random orthonormal map R^3 → R^D (columns of Q orthonormal)."""
    q, _ = np.linalg.qr(np.random.default_rng(seed).standard_normal((D, 3)))
    return q


def torus64(n, seed, R, r, tilt_degrees):
    rng = np.random.default_rng(seed)
    p = torus3(n, rng, R, r)
    c, s = math.cos(math.radians(tilt_degrees)), math.sin(math.radians(tilt_degrees))
    p = p @ np.array([[1, 0, 0], [0, c, -s], [0, s, c]]).T   # the torus' axis tilted about x
    q = embedding()
    return p @ q.T + NOISE * rng.standard_normal((n, q.shape[0]))


PAIRS = {
    # name: (D, description, make(n) -> (x, y))
    "helix–torus R^3": (3, "helix t~U(0,1): 0.8·(cos 4πt, sin 4πt, 2t−1) vs torus R=0.7 r=0.2 (uniform angles), "
                           f"+ N(0, {NOISE}²) noise; seeds [1, n] and [2, n]",
                        lambda n: (helix(n, [1, n]), torus(n, [2, n]))),
    "torus–torus R^64": (64, "torus R=0.7 r=0.2 vs torus R=0.55 r=0.3 tilted 60° about x (uniform angles), both mapped "
                             "to R^64 by one random orthonormal 3→64 map (seed 64), + N(0, 1e-3² I_64) noise; "
                             "seeds [3, n] and [4, n]",
                         lambda n: (torus64(n, [3, n], 0.7, 0.2, 0.0), torus64(n, [4, n], 0.55, 0.3, 60.0))),
}


def diameter(x, y):
    z = np.concatenate([x, y])
    return 2.0 * float(np.sqrt(((z - z.mean(axis=0)) ** 2).sum(axis=1).max()))


# ----------------------------------------------------------------------------- workers (one tool per process)

def load(path, d):
    a = np.fromfile(path, dtype="<f8")
    return a.reshape(-1, d)


def worker_pot_emd(x, y, opts):
    import ot
    t = time.perf_counter()
    M = ot.dist(x, y)                                   # squared Euclidean
    n, m = len(x), len(y)
    cost = float(ot.emd2(np.full(n, 1.0 / n), np.full(m, 1.0 / m), M, numItermax=100_000_000))
    return {"seconds": time.perf_counter() - t, "value": math.sqrt(cost), "cost": cost}


def entropic(ot, a, b, M, eps, stop, itmax):
    """One log-domain Sinkhorn; returns OT_ε = ⟨P,C⟩ + ε KL(P ‖ a⊗b) at POT's final plan, ⟨P,C⟩, its
    iterations and the L1 error of both marginals."""
    P, log = ot.sinkhorn(a, b, M, eps, method="sinkhorn_log", numItermax=itmax, stopThr=stop, log=True, warn=False)
    pc = float((P * M).sum())
    r, c, mass = P.sum(axis=1), P.sum(axis=0), float(P.sum())
    # log P_ij = u_i + v_j − M_ij/ε, so Σ P log(P/(a_i b_j)) = Σ r (u − log a) + Σ c (v − log b) − ⟨P,M⟩/ε.
    kl = float(r @ (log["log_u"] - np.log(a)) + c @ (log["log_v"] - np.log(b))) - pc / eps - mass + 1.0
    del P
    return pc + eps * kl, pc, int(log["niter"]) + 1, float(np.abs(r - a).sum() + np.abs(c - b).sum())


def worker_pot_sinkhorn(x, y, opts):
    import ot
    eps, stop, itmax = float(opts["epsilon"]), float(opts.get("stopThr", 1e-3)), int(opts.get("numItermax", 10000))
    n, m = len(x), len(y)
    a, b = np.full(n, 1.0 / n), np.full(m, 1.0 / m)
    t = time.perf_counter()
    out = {}
    for name, (p, q, u, w) in (("xy", (x, y, a, b)), ("xx", (x, x, a, a)), ("yy", (y, y, b, b))):
        M = ot.dist(p, q)
        out[name] = entropic(ot, u, w, M, eps, stop, itmax)
        del M
        print(f"pot-sinkhorn: {name} done after {out[name][2]} iterations, {time.perf_counter() - t:.1f} s",
              file=sys.stderr, flush=True)   # on a timeout the driver's notes show how far it got
    seconds = time.perf_counter() - t
    s_eps = out["xy"][0] - 0.5 * (out["xx"][0] + out["yy"][0])
    s_pc = out["xy"][1] - 0.5 * (out["xx"][1] + out["yy"][1])
    return {"seconds": seconds, "value": math.sqrt(max(s_eps, 0.0)), "sinkhorn_divergence": s_eps,
            "debiased_transport_cost": s_pc, "value_transport_cost": math.sqrt(max(s_pc, 0.0)),
            "iterations": [out[k][2] for k in ("xy", "xx", "yy")],
            "marginal_error_l1": [out[k][3] for k in ("xy", "xx", "yy")], "pot": ot.__version__}


def worker_geomloss(x, y, opts):
    import torch
    from geomloss import SamplesLoss, __version__ as gv
    from geomloss._legacy.sinkhorn_divergence import epsilon_schedule, max_diameter
    backend, scaling, blur = opts["backend"], float(opts["scaling"]), float(opts["blur"])
    xt, yt = torch.from_numpy(np.ascontiguousarray(x)), torch.from_numpy(np.ascontiguousarray(y))
    loss = SamplesLoss("sinkhorn", p=2, blur=blur, scaling=scaling, debias=True, backend=backend)
    compile_seconds = None
    if backend in ("online", "multiscale"):      # KeOps compiles its formulas on first use: not timed
        t = time.perf_counter()
        float(SamplesLoss("sinkhorn", p=2, blur=blur, scaling=scaling, debias=True, backend=backend)(xt[:300], yt[:300]))
        compile_seconds = time.perf_counter() - t
    t = time.perf_counter()
    with torch.no_grad():
        value = float(loss(xt, yt))
    seconds = time.perf_counter() - t
    steps = len(epsilon_schedule(2, max_diameter(xt, yt), blur, scaling))
    return {"seconds": seconds, "value": math.sqrt(max(2.0 * value, 0.0)), "loss": value, "epsilon_steps": steps,
            "warmup_seconds": compile_seconds, "threads": torch.get_num_threads(), "geomloss": gv,
            "torch": torch.__version__}


WORKERS = {"pot-emd": worker_pot_emd, "pot-sinkhorn": worker_pot_sinkhorn, "geomloss": worker_geomloss}


def worker_main(argv):
    tool, xf, yf, d = argv[0], argv[1], argv[2], int(argv[3])
    opts = dict(kv.split("=", 1) for kv in argv[4:])
    x, y = load(xf, d), load(yf, d)
    print(json.dumps(WORKERS[tool](x, y, opts)), flush=True)


# ----------------------------------------------------------------------------- driver

def measured(cmd, cap, env=None):
    """Runs cmd under /usr/bin/time -v and timeout; returns (json or None, status, wall s, peak MB, stderr tail)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time", delete=False) as tf:
        tfile = tf.name
    full = ["/usr/bin/time", "-v", "-o", tfile, "timeout", "--kill-after=15", str(cap)] + cmd
    p = subprocess.run(full, capture_output=True, text=True, env=env)
    timing = open(tfile).read()
    os.unlink(tfile)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", timing)
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)", timing)
    secs = None
    if wall:
        parts = [float(v) for v in wall.group(1).split(":")]
        secs = sum(v * 60 ** i for i, v in enumerate(reversed(parts)))
    peak = int(rss.group(1)) / 1024 if rss else None
    result = None
    for line in reversed(p.stdout.splitlines()):
        if line.startswith("{"):
            try:
                result = json.loads(line)
            except json.JSONDecodeError:
                pass
            break
    if p.returncode == 124 or p.returncode == 137 or (p.returncode < 0):
        status = f"timeout ({cap} s cap)"
        if cmd[-1:] and "pot-sinkhorn" in cmd and "pot-sinkhorn:" not in p.stderr:
            status += ": the x–y problem had not converged"
    elif p.returncode != 0 or result is None:
        status = f"failed (exit {p.returncode})"
    else:
        status = "ok"
    lines = [l for l in p.stderr.strip().splitlines() if l.strip() and "[KeOps] Warning" not in l]
    tail = " ".join(lines[-3:])[-300:]
    return result, status, secs, peak, tail


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def versions(py):
    code = ("import numpy, ot, json\nv={'numpy': numpy.__version__, 'POT': ot.__version__}\n"
            "try:\n import torch, geomloss; v['torch']=torch.__version__; v['geomloss']=geomloss.__version__\n"
            "except Exception as e: v['geomloss']='unavailable: '+repr(e)[:100]\n"
            "try:\n import pykeops; v['pykeops']=pykeops.__version__\nexcept Exception as e: v['pykeops']='unavailable'\n"
            "print(json.dumps(v))")
    try:
        out = subprocess.run([py, "-c", code], capture_output=True, text=True, timeout=300).stdout
        return json.loads([l for l in out.splitlines() if l.startswith("{")][-1])   # KeOps prints warnings on stdout
    except Exception as e:  # noqa: BLE001
        return {"error": repr(e)}


def keops_check(py, cap):
    """pykeops compiles with g++ on first use; try it once, bounded."""
    code = "import pykeops; pykeops.test_torch_bindings()"
    try:
        p = subprocess.run([py, "-c", code], capture_output=True, text=True, timeout=cap)
    except subprocess.TimeoutExpired:
        return False, f"pykeops.test_torch_bindings() did not finish in {cap} s"
    ok = p.returncode == 0 and "working" in (p.stdout + p.stderr)
    return ok, ("pykeops.test_torch_bindings(): " + ("working (CPU only)" if ok else
                                                      " ".join((p.stdout + p.stderr).split())[-300:]))


def fmt(v, digits=6):
    return "—" if v is None else f"{v:.{digits}g}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="smoke test: n = 2000, 4000 in R^3 and 2000 in R^64, 120 s cap")
    ap.add_argument("--huge", action="store_true", help="also n = 10^6 in R^3, manifoldlab only")
    ap.add_argument("--timeout", type=float, default=None, help="cap per call in seconds (600; --quick: 120)")
    ap.add_argument("--out", default=None, help="bench/results/sinkhorn-large.md (--quick: sinkhorn-large-quick.md)")
    ap.add_argument("--keep", action="store_true", help="keep the cloud files")
    a = ap.parse_args()
    cap = int(a.timeout or (120 if a.quick else 600))
    a.out = a.out or os.path.join(HERE, "results", "sinkhorn-large-quick.md" if a.quick else "sinkhorn-large.md")
    py = sys.executable
    if a.quick:
        cases = [("helix–torus R^3", 2000), ("helix–torus R^3", 4000), ("torus–torus R^64", 2000)]
    else:
        cases = [("helix–torus R^3", n) for n in (4000, 10_000, 100_000)] + \
                [("torus–torus R^64", n) for n in (10_000, 100_000)]
    if a.huge:
        cases.append(("helix–torus R^3", 1_000_000))

    # One binary for the whole run, even if the project is rebuilt meanwhile.
    for _ in range(30):
        if os.access(BINARY, os.X_OK):
            break
        print("waiting for .build/release/manifoldlab-bench …", file=sys.stderr, flush=True)
        time.sleep(60)
    work = tempfile.mkdtemp(prefix="sinkhorn-large-")
    ours = os.path.join(work, "manifoldlab-bench")
    shutil.copy2(BINARY, ours)
    sha = hashlib.sha256(open(ours, "rb").read()).hexdigest()[:16]
    built = datetime.datetime.fromtimestamp(os.path.getmtime(BINARY)).strftime("%Y-%m-%d %H:%M:%S")

    started = datetime.datetime.now()
    load0 = os.getloadavg()
    vers = versions(py)
    keops_ok, keops_note = keops_check(py, 300)
    py_env = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}

    header = [
        "# Wasserstein at 10^4–10^6 points: manifoldlab Sinkhorn vs POT and GeomLoss (issue #18)",
        "",
        f"Machine: {cpu_model()}, nproc = {os.cpu_count()}, "
        f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB; {platform.platform()}. "
        f"Started {started:%Y-%m-%d %H:%M:%S} (load average {load0[0]:.2f} {load0[1]:.2f} {load0[2]:.2f}).",
        f"Command: `bash bench/sinkhorn-large.sh{' --quick' if a.quick else ''}{' --huge' if a.huge else ''}` "
        f"(cap {cap} s per call: `/usr/bin/time -v timeout --kill-after=15 {cap} …`).",
        f"manifoldlab-bench: built {built}, sha256 {sha}… (copied once at the start). "
        "Python: " + ", ".join(f"{k} {v}" for k, v in vers.items()) + ".",
        f"KeOps: {keops_note}.",
        "",
    ]
    legend = [
        "",
        "Columns: **W2** is each tool's estimate of W2 in distance units; **vs exact** is (W2 − exact W2)/exact W2 "
        "with the exact W2 of manifoldlab's network simplex (same n); [load x] in the notes is the 1-minute load average "
        "when the row finished (the machine is shared with other builds); **s** is the tool's own time for the solve "
        "(cost matrices included; process start, imports, file reading and KeOps compilation excluded); **wall** is the "
        "whole process; **peak MB** is its maximum resident set (`/usr/bin/time -v`; Python rows include the "
        "interpreter and its imports: `import torch, geomloss` alone is ≈ 650 MB, `import ot, numpy` ≈ 750 MB "
        "since POT imports torch when it is installed).",
        "",
        "Quantities. manifoldlab: `value` = S_ε^(1/2), the debiased Sinkhorn divergence at blur = diameter/64 "
        "(library default), ε = blur², `tolerance=1e-3` (its L1 marginal error). POT: `ot.sinkhorn(a, b, M, reg=ε, "
        "method='sinkhorn_log', numItermax=10000, stopThr=1e-3)` on M = `ot.dist` (squared Euclidean) for xy, xx, yy; "
        "**W2 = sqrt(OT_xy − ½OT_xx − ½OT_yy) with OT_ε = ⟨P,C⟩ + ε·KL(P‖a⊗b)** evaluated at POT's returned plan "
        "(the same S_ε as the other tools); the notes give also sqrt of the ⟨P,C⟩-only debiased value, which is what "
        "`ot.sinkhorn2` differences (and `ot.bregman.empirical_sinkhorn_divergence` in this POT) return. POT's stopThr "
        "is the L2 norm of the column-marginal error, checked every 10 iterations; the notes give the L1 error of both "
        "marginals reached. GeomLoss: `SamplesLoss('sinkhorn', p=2, blur=blur/√2, scaling=s, debias=True, backend=…)` "
        "in float64: its cost is |x−y|²/2 and its ε is blur_G², so blur_G = blur/√2 is the same ε on |x−y|² and "
        "W2 = sqrt(2·loss); one row per case uses blur_G = blur (literally the same number: ε twice the others'). "
        "GeomLoss runs a fixed ε-scaling schedule (no tolerance): the notes give its number of ε steps. "
        "'not run (memory)': an n×n float64 matrix would exceed 4 GB.",
    ]
    rows_md = ["| pair | n | D | tool | W2 | vs exact | s | wall s | peak MB | notes |",
               "|---|---|---|---|---|---|---|---|---|---|"]
    cases_md = ["| pair | n per side | D | diameter | blur = diameter/64 | ε = blur² | exact W2 (manifoldlab) |",
                "|---|---|---|---|---|---|---|"]
    commands = []

    def write(final=False):
        os.makedirs(os.path.dirname(a.out), exist_ok=True)
        tail = []
        if final:
            load1 = os.getloadavg()
            tail = ["", f"Finished {datetime.datetime.now():%Y-%m-%d %H:%M:%S} (load average {load1[0]:.2f} "
                        f"{load1[1]:.2f} {load1[2]:.2f})."]
        with open(a.out, "w") as f:
            f.write("\n".join(header + ["## Cases", ""] + cases_md + ["", "## Results", ""] + rows_md + legend +
                              tail + ["", "## Commands (per row; $W is the run's temporary folder)", ""] +
                              [f"{i + 1}. `{c}`" for i, c in enumerate(commands)]) + "\n")

    print("\n".join(header), flush=True)
    print("\n".join(rows_md), flush=True)

    def row(pair, n, d, tool, value, exact, seconds, wall, peak, notes, cmd):
        rel = "—" if (value is None or exact is None) else f"{(value - exact) / exact * 100:+.3f} %"
        if cmd:
            notes += f" [load {os.getloadavg()[0]:.1f}]"
        line = (f"| {pair} | {n} | {d} | {tool} | {fmt(value, 7)} | {rel} | {fmt(seconds, 4)} | {fmt(wall, 4)} | "
                f"{'—' if peak is None else f'{peak:.0f}'} | {notes} |")
        rows_md.append(line)
        if cmd:
            commands.append(f"[{pair} n={n} {tool}] " + " ".join(shlex.quote(c) for c in cmd).replace(work, "$W"))
        print(line, flush=True)
        write()

    def skipped(pair, n, d, tool, why):
        row(pair, n, d, tool, None, None, None, None, None, why, None)

    for pair, n in cases:
        d, _, make = PAIRS[pair]
        x, y = make(n)
        xf, yf = os.path.join(work, f"x{n}_{d}.bin"), os.path.join(work, f"y{n}_{d}.bin")
        x.astype("<f8").tofile(xf)
        y.astype("<f8").tofile(yf)
        diam = diameter(x, y)
        blur = diam / 64
        eps = blur * blur
        del x, y
        huge_only = n > 100_000
        dense_ok = 8.0 * n * n <= MEMORY_LIMIT
        exact = None

        # manifoldlab exact (network simplex)
        if n <= EXACT_LIMIT:
            cmd = [ours, "exact", xf, yf, str(d), "order=2"]
            r, status, wall, peak, err = measured(cmd, cap)
            if status == "ok":
                exact = r["result"]["value"]
                row(pair, n, d, "manifoldlab exact", exact, exact, r["seconds"], wall, peak,
                    f"{r['result']['solver']}, W2² = {r['result']['cost']:.8g}", cmd)
            else:
                row(pair, n, d, "manifoldlab exact", None, None, None, wall, peak, f"{status} {err}", cmd)
        else:
            skipped(pair, n, d, "manifoldlab exact", f"not run (n > {EXACT_LIMIT}: O(n²) memory)")
        # POT exact
        if huge_only:
            pass
        elif n <= EXACT_LIMIT:
            cmd = [py, __file__, "worker", "pot-emd", xf, yf, str(d)]
            r, status, wall, peak, err = measured(cmd, cap, env=py_env)
            if status == "ok":
                agree = "" if exact is None else f", |Δ| vs manifoldlab exact {abs(r['value'] - exact):.2e}"
                row(pair, n, d, "POT ot.emd2", r["value"], exact, r["seconds"], wall, peak,
                    f"numItermax=1e8{agree}", cmd)
            else:
                row(pair, n, d, "POT ot.emd2", None, None, None, wall, peak, f"{status} {err}", cmd)
        else:
            skipped(pair, n, d, "POT ot.emd2", f"not run (n > {EXACT_LIMIT}: O(n²) memory)")
        cases_md.append(f"| {pair} | {n} | {d} | {diam:.6g} | {blur:.6g} | {eps:.6g} | {fmt(exact, 10)} |")

        # manifoldlab Sinkhorn, library default
        cmd = [ours, "sinkhorn", xf, yf, str(d), "order=2", "tolerance=1e-3", "path=automatic"]
        r, status, wall, peak, err = measured(cmd, cap)
        if status == "ok":
            res = r["result"]
            check = abs(res["blur"] - blur) / blur
            notes = (f"{res['solver']}, {res['iterations']} iterations, marginal error {res['marginal_error']:.2g}, "
                     f"blur {res['blur']:.6g}" + ("" if check < 1e-9 else f" (≠ python's {blur:.6g})"))
            row(pair, n, d, "manifoldlab sinkhorn (default)", res["value"], exact, r["seconds"], wall, peak, notes, cmd)
        else:
            row(pair, n, d, "manifoldlab sinkhorn (default)", None, None, None, wall, peak, f"{status} {err}", cmd)
        if huge_only:
            continue

        # POT log-domain debiased Sinkhorn at the same ε
        if dense_ok:
            cmd = [py, __file__, "worker", "pot-sinkhorn", xf, yf, str(d), f"epsilon={eps!r}", "stopThr=1e-3",
                   "numItermax=10000"]
            r, status, wall, peak, err = measured(cmd, cap, env=py_env)
            if status == "ok":
                notes = (f"iterations xy/xx/yy {'/'.join(map(str, r['iterations']))}, L1 marginal error "
                         f"{'/'.join(f'{e:.1e}' for e in r['marginal_error_l1'])}; ⟨P,C⟩-debiased: "
                         f"sqrt = {r['value_transport_cost']:.7g}")
                row(pair, n, d, "POT sinkhorn_log, debiased", r["value"], exact, r["seconds"], wall, peak, notes, cmd)
            else:
                row(pair, n, d, "POT sinkhorn_log, debiased", None, None, None, wall, peak, f"{status} {err}", cmd)
        else:
            skipped(pair, n, d, "POT sinkhorn_log, debiased", "not run (memory)")

        # GeomLoss
        variants = [("tensorized", 0.5, blur / math.sqrt(2), "blur/√2"), ("tensorized", 0.9, blur / math.sqrt(2), "blur/√2"),
                    ("tensorized", 0.5, blur, "blur (ε ×2)"),
                    ("online", 0.5, blur / math.sqrt(2), "blur/√2"), ("multiscale", 0.5, blur / math.sqrt(2), "blur/√2")]
        for backend, scaling, bg, label in variants:
            tool = f"GeomLoss {backend}, scaling={scaling}, blur_G={label}"
            if backend == "tensorized" and not dense_ok:
                skipped(pair, n, d, tool, "not run (memory)")
                continue
            if backend == "multiscale" and d > 3:
                skipped(pair, n, d, tool, "not applicable: its clustering (pykeops grid_cluster) raises "
                                          "NotImplementedError for D > 3")
                continue
            if backend != "tensorized" and not keops_ok:
                skipped(pair, n, d, tool, "not run (KeOps unavailable)")
                continue
            cmd = [py, __file__, "worker", "geomloss", xf, yf, str(d), f"backend={backend}", f"scaling={scaling}",
                   f"blur={bg!r}"]
            r, status, wall, peak, err = measured(cmd, cap, env=py_env)
            if status == "ok":
                notes = f"{r['epsilon_steps']} ε steps, {r['threads']} torch threads"
                if r.get("warmup_seconds") is not None:
                    notes += f", KeOps compile/warm-up {r['warmup_seconds']:.1f} s (not in s)"
                row(pair, n, d, tool, r["value"], exact, r["seconds"], wall, peak, notes, cmd)
            else:
                row(pair, n, d, tool, None, None, None, wall, peak, f"{status} {err}", cmd)
        for f in (xf, yf):
            if not a.keep:
                os.unlink(f)

    write(final=True)
    print("\n## Cases\n\n" + "\n".join(cases_md), flush=True)
    print("\n".join(legend), flush=True)
    print(f"\nwritten: {a.out}", file=sys.stderr)
    if not a.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "worker":
        worker_main(sys.argv[2:])
    else:
        main()
