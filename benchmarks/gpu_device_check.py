"""The GPU check for a session that is lent a GPU: one command, under 10 minutes, one JSON.

    python3 benchmarks/gpu_device_check.py --out "$OUT/gpu_device_check.json"

run from the repository root on the device machine (its image already holds numba, numba-cuda, CuPy, SciPy, SymPy,
Hypothesis and matplotlib; nothing is installed). Steps, each timed and recorded even when another fails:

1. ``compile``: ``python -m gpu_kernels.compilecheck --cc 9.0 --json`` (PTX, ptxas registers and spills);
2. ``equivalence``: every bandit algorithm on Bernoulli and Gaussian arms, GPU kernel against CPU kernel on the same
   seeds at a real size (T = 2000, 256 replications): identical pull counts, largest regret difference;
   synchronous Q-learning, TD(0), UCB-H and UCBVI (``gpu_kernels.rl``) against the CPU, to 1e-12; the batched
   Bellman sweep against NumPy;
3. ``verdicts``: ``testbed run B1 ... B6 --fidelity quick`` with ``--backend gpu`` and with ``--backend cpu`` into
   two stores; verdicts and tightness compared claim by claim;
4. ``benchmark``: ``python benchmarks/gpu.py --quick`` (pulls per second against the CuPy baseline, sweep
   bandwidth), its text kept.

Exit 0 when every step ran and agreed, 1 otherwise. Without a GPU it writes what it could and says so.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLAIMS = ("B1", "B2", "B3", "B4", "B5", "B6")


def _run(cmd: list[str], timeout: int) -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("NUMBA_ENABLE_CUDASIM", None)
    t0 = time.perf_counter()
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env=env, timeout=timeout)
        return {"rc": proc.returncode, "stdout": proc.stdout[-20000:], "stderr": proc.stderr[-4000:],
                "seconds": round(time.perf_counter() - t0, 2)}
    except subprocess.TimeoutExpired:
        return {"rc": None, "error": f"timed out after {timeout} s", "seconds": round(time.perf_counter() - t0, 2)}


def _equivalence() -> dict:
    sys.path.insert(0, str(ROOT))
    from gpu_kernels import gpu_available
    from gpu_kernels.simcheck import CASES, compare, compare_sweeps, rl_equals_cpu
    from tabular_envs.bandits.simulate import ALGORITHMS
    if not gpu_available():
        return {"ok": False, "error": "no GPU"}
    rows = [compare(a, f, T=2000, reps=256, seed=2026, first_rep=0) for a in ALGORITHMS for f in CASES]
    sweeps = compare_sweeps()
    rl = rl_equals_cpu(tol=1e-12)
    ok = (all(r["pulls_equal"] and r["max_regret_diff"] <= 1e-9 for r in rows) and sweeps["sweep_max_abs_err"] <= 1e-12
          and all(r["equal"] for r in rl[:-1]) and not rl[-1]["equal"])
    return {"ok": bool(ok), "bandits": [{k: r[k] for k in ("algorithm", "family", "pulls_equal", "max_regret_diff")}
                                         for r in rows], "rl": rl, "sweeps": sweeps}


def _verdicts(workdir: Path) -> dict:
    out = {}
    for backend in ("gpu", "cpu"):
        store = workdir / f"{backend}.sqlite"
        res = _run([sys.executable, "-c", "import sys; from testbed.cli import main; sys.exit(main())", "run",
                    *CLAIMS, "--fidelity", "quick", "--backend", backend, "--store", str(store), "--json",
                    "--workers", "8"], timeout=240)
        try:
            results = json.loads(res["stdout"])["results"]
            out[backend] = {r["id"]: {"verdict": r["verdict"], "tightness": r["tightness"]} for r in results}
        except (ValueError, KeyError, TypeError):
            out[backend] = {"error": res.get("stderr", res.get("error", ""))[-2000:]}
        out[f"{backend}_seconds"] = res["seconds"]
    same = all(out["gpu"].get(c, {}).get("verdict") == out["cpu"].get(c, {}).get("verdict") for c in CLAIMS)
    return {"ok": bool(same and "error" not in out["gpu"]), **out}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default="gpu_device_check.json", help="where the JSON goes")
    args = ap.parse_args(argv)
    report: dict = {"started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    report["nvidia_smi"] = _run(["nvidia-smi", "--query-gpu=name,driver_version,memory.total", "--format=csv"], 30)
    compile_run = _run([sys.executable, "-m", "gpu_kernels.compilecheck", "--cc", "9.0", "--json"], 300)
    report["compile"] = {"ok": compile_run["rc"] == 0,
                         "rows": [json.loads(x) for x in compile_run.get("stdout", "").splitlines()
                                  if x.startswith("{")], "stderr": compile_run.get("stderr", "")}
    t0 = time.perf_counter()
    try:
        report["equivalence"] = _equivalence()
    except Exception as exc:       # recorded, so the remaining steps still run
        report["equivalence"] = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
    report["equivalence"]["seconds"] = round(time.perf_counter() - t0, 2)
    with tempfile.TemporaryDirectory() as tmp:
        report["verdicts"] = _verdicts(Path(tmp))
    bench = _run([sys.executable, str(ROOT / "benchmarks" / "gpu.py"), "--quick"], 240)
    report["benchmark"] = {"ok": bench["rc"] == 0, "text": bench.get("stdout", ""), "stderr": bench.get("stderr", "")}
    report["ok"] = all(report[k]["ok"] for k in ("compile", "equivalence", "verdicts", "benchmark"))
    Path(args.out).write_text(json.dumps(report, indent=1))
    print(json.dumps({k: (v.get("ok") if isinstance(v, dict) else v) for k, v in report.items()}))
    return 0 if report["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
