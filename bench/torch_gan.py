#!/usr/bin/env python3
"""PyTorch reference of manifoldlab's GAN training workload (for the trainer's speed table).

G: MLP latent k -> H -> H -> D (ReLU), D: MLP D -> H -> H -> 1 (ReLU), PyTorch's default
nn.Linear init, Adam lr 1e-4 betas (0.5, 0.999), batch B, minimax loss on logits
(D: softplus(-D(x)) + softplus(D(G(z))); G: log(1 - sigmoid(D(G(z)))) = -softplus(D(G(z)))),
one D step + one G step per iteration. Real data: a unit circle in a random 2-plane of R^D,
sampled fresh each step (cheap, like manifoldlab's samplers).

Runs ONE configuration per process, so that the launch-to-first-step time is meaningful, and
prints one JSON line. bench/nn.sh runs the grid.
"""
import argparse
import json
import os
import resource
import sys
import time


def seconds_since_launch():
    """Seconds since this process was started, from /proc (Linux); None elsewhere."""
    try:
        with open("/proc/self/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        start_ticks = int(fields[19])  # field 22 of stat(5), counted after the ")" of comm
        return time.clock_gettime(time.CLOCK_BOOTTIME) - start_ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, AttributeError):
        return None


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--hidden", type=int, default=128, help="hidden width H")
    parser.add_argument("--dim", type=int, default=64, help="ambient dimension D")
    parser.add_argument("--latent", type=int, default=1, help="latent dimension k")
    parser.add_argument("--batch", type=int, default=256, help="batch size B")
    parser.add_argument("--dtype", choices=["float32", "float64"], default="float64")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--warmup", type=int, default=20, help="iterations before timing")
    parser.add_argument("--seconds", type=float, default=3.0, help="timing budget after warm-up")
    parser.add_argument("--min-steps", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    t_import = time.perf_counter()
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
    import_s = time.perf_counter() - t_import

    torch.set_num_threads(args.threads)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:
        pass
    torch.manual_seed(args.seed)
    dtype = torch.float32 if args.dtype == "float32" else torch.float64
    torch.set_default_dtype(dtype)
    H, D, k, B = args.hidden, args.dim, args.latent, args.batch

    G = nn.Sequential(nn.Linear(k, H), nn.ReLU(), nn.Linear(H, H), nn.ReLU(), nn.Linear(H, D))
    Dnet = nn.Sequential(nn.Linear(D, H), nn.ReLU(), nn.Linear(H, H), nn.ReLU(), nn.Linear(H, 1))
    opt_g = torch.optim.Adam(G.parameters(), lr=1e-4, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(Dnet.parameters(), lr=1e-4, betas=(0.5, 0.999))
    frame, _ = torch.linalg.qr(torch.randn(D, 2)) if D >= 2 else (torch.ones(1, 2), None)

    def real_batch():
        t = torch.rand(B, 1) * (2 * torch.pi)
        return torch.cat([torch.cos(t), torch.sin(t)], dim=1) @ frame.T

    def iteration():
        # Discriminator step.
        x = real_batch()
        with torch.no_grad():
            fake = G(torch.randn(B, k))
        loss_d = F.softplus(-Dnet(x)).mean() + F.softplus(Dnet(fake)).mean()
        opt_d.zero_grad(set_to_none=False)
        loss_d.backward()
        opt_d.step()
        # Generator step (minimax cost log(1 - D(G(z))) = -softplus(logit)).
        loss_g = -F.softplus(Dnet(G(torch.randn(B, k)))).mean()
        opt_g.zero_grad(set_to_none=False)
        loss_g.backward()
        opt_g.step()
        return loss_d, loss_g

    iteration()
    first_step_s = seconds_since_launch()
    for _ in range(args.warmup - 1):
        iteration()
    steps = 0
    start = time.perf_counter()
    while True:
        loss_d, loss_g = iteration()
        steps += 1
        elapsed = time.perf_counter() - start
        if steps >= args.min_steps and elapsed >= args.seconds:
            break
    finite = bool(torch.isfinite(loss_d).item() and torch.isfinite(loss_g).item())

    print(json.dumps({
        "impl": "pytorch",
        "torch": torch.__version__,
        "dtype": args.dtype,
        "threads": args.threads,
        "omp_wait_policy": os.environ.get("OMP_WAIT_POLICY"),
        "B": B, "H": H, "D": D, "k": k,
        "steps_per_s": round(steps / elapsed, 2),
        "ms_per_step": round(1e3 * elapsed / steps, 4),
        "measured_steps": steps,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "launch_to_first_step_s": None if first_step_s is None else round(first_step_s, 3),
        "import_s": round(import_s, 3),
        "losses_finite": finite,
    }), flush=True)


if __name__ == "__main__":
    sys.exit(main())
