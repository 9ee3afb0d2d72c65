"""manifoldlab reads what numpy writes and numpy reads what manifoldlab writes, value for value.

Every file holds the same 200 points in R^3 (or an exactly representable copy for the integer
and float32 dtypes); manifoldlab's exact W1 between the file and the float64 reference is 0 only
when every point was read as written.
"""
import gzip, io, json, os, subprocess, sys, tempfile
import numpy as np

ML = os.path.abspath(".build/release/manifoldlab")
tmp = tempfile.mkdtemp(prefix="numpy-io-")
rng = np.random.default_rng(0)
x = np.round(rng.normal(size=(200, 3)) * 8)  # integers: exact in every dtype
np.save(f"{tmp}/ref.npy", x)


def w1(spec, stdin=None):
    out = subprocess.run([ML, "wasserstein", "--p", spec, "--q", f"file:{tmp}/ref.npy", "--method", "exact",
                          "--format", "json"], input=stdin, capture_output=True, check=True).stdout
    return json.loads(out)["value"]


cases = {}
for dtype in ["<f8", ">f8", "<f4", ">f4", "<i4", ">i4", "<i8", ">i8"]:
    for order in ["C", "F"]:
        for version in [(1, 0), (2, 0), (3, 0)]:
            name = f"{tmp}/a{dtype[0] == '>'}{dtype[1:]}{order}{version[0]}.npy"
            with open(name, "wb") as f:
                np.lib.format.write_array(f, np.asarray(x.astype(dtype), order=order), version=version)
            cases[f"npy {dtype} {order} v{version[0]}"] = f"file:{name}"
np.savez(f"{tmp}/s.npz", other=x[:5], points=x)
np.savez_compressed(f"{tmp}/c.npz", x)
cases["savez (stored), named"] = f"file:{tmp}/s.npz:points"
cases["savez_compressed, the only array"] = f"file:{tmp}/c.npz"
np.savetxt(f"{tmp}/plain.txt", x)
np.savetxt(f"{tmp}/h.csv", x, delimiter=",", header="a,b,c", comments="")
np.savetxt(f"{tmp}/t.tsv", x, delimiter="\t")
with gzip.open(f"{tmp}/g.csv.gz", "wt") as f:
    np.savetxt(f, x, delimiter=",")
with gzip.open(f"{tmp}/g.npy.gz", "wb") as f:
    np.save(f, x)
cases["savetxt whitespace"] = f"file:{tmp}/plain.txt"
cases["savetxt CSV with header"] = f"file:{tmp}/h.csv"
cases["savetxt TSV"] = f"file:{tmp}/t.tsv"
cases["gzip CSV"] = f"file:{tmp}/g.csv.gz"
cases["gzip .npy"] = f"file:{tmp}/g.npy.gz"

failures = 0
for label, spec in cases.items():
    value = w1(spec)
    ok = value == 0
    failures += not ok
    print(f"{'ok  ' if ok else 'FAIL'} {label}: W1 = {value}")
buffer = io.BytesIO()
np.save(buffer, x)
value = w1("file:-", stdin=buffer.getvalue())
failures += value != 0
print(f"{'ok  ' if value == 0 else 'FAIL'} .npy on stdin: W1 = {value}")

# manifoldlab → numpy: the .npy equals the CSV of the same draw, bit for bit.
npy = subprocess.run([ML, "sample", "--manifold", "torus", "--n", "500", "--format", "npy", "--out", "-"],
                     capture_output=True, check=True).stdout
csv = subprocess.run([ML, "sample", "--manifold", "torus", "--n", "500"], capture_output=True, check=True).stdout
a, b = np.load(io.BytesIO(npy)), np.loadtxt(io.BytesIO(csv), delimiter=",", skiprows=1)
same = a.dtype == np.float64 and a.shape == (500, 3) and np.array_equal(a, b)
failures += not same
print(f"{'ok  ' if same else 'FAIL'} sample --format npy → numpy.load: {a.shape} {a.dtype}, equal to the CSV: {same}")
print(f"{len(cases) + 2 - failures} of {len(cases) + 2} round trips exact")
sys.exit(1 if failures else 0)
