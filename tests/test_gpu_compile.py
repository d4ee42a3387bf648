"""The GPU kernels compile for a real GPU (issue 23), checked without one: ``python -m gpu_kernels.compilecheck``
compiles every kernel to PTX for sm_90 with NVVM and assembles it with ptxas. The CUDA simulator, which the other GPU
tests use, runs plain Python and cannot see a lowering failure; this test can.

Where the pinned compiler wheels are not installed (``pip install '.[gpucheck]'``) the compile test skips, except
when ``TESTBED_REQUIRE_GPU_COMPILER=1`` (set by ``.ci/run``, which installs them): there a missing compiler fails."""
import ast
import importlib
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from gpu_kernels.compilecheck import NO_COMPILER, UNLOWERED_NUMPY, unlowered_calls
from tabular_envs import counter_rng
from tabular_envs.bandits import kernels as cpu_kernels
from tabular_envs.rl import episodic, optimistic_q, qlearning, tape, td

ROOT = Path(__file__).resolve().parents[1]
UCBVI = importlib.import_module("tabular_envs.rl.ucbvi")    # the package's ``ucbvi`` is the checked function
# the CPU functions that gpu_kernels.bandits and gpu_kernels.rl compile a second time as device functions
DEVICE_TWINS = {counter_rng: ("mix64", "stream_key", "draw_bits", "unit_closed_open", "unit_open_closed",
                              "next_uniform", "next_normal", "next_gamma", "next_beta", "tape_reward"),
                cpu_kernels: cpu_kernels.BODY_HELPERS + tuple(b.__name__ for b in cpu_kernels.BODIES.values()),
                tape: ("transition_key", "next_state_of_pair"), qlearning: ("learning_rate", "_replication"),
                td: ("_draw_state", "_replication"), optimistic_q: ("_alpha", "_ucb_replication"),
                episodic: ("greedy_into", "policy_value_into"), UCBVI: ("_plan", "_replication")}


def _compilecheck(*args, extra_path: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "NUMBA_ENABLE_CUDASIM"}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), extra_path) if p)
    proc = subprocess.run([sys.executable, "-m", "gpu_kernels.compilecheck", "--cc", "9.0", *args],
                          capture_output=True, text=True, env=env, cwd=ROOT, timeout=600)
    if proc.returncode == NO_COMPILER:
        if os.environ.get("TESTBED_REQUIRE_GPU_COMPILER") == "1":
            pytest.fail(f"TESTBED_REQUIRE_GPU_COMPILER=1 but no CUDA compiler: {proc.stderr.strip()}")
        pytest.skip(f"no CUDA compiler installed (pip install '.[gpucheck]'): {proc.stderr.strip()[:200]}")
    return proc


def test_device_code_calls_no_numpy_function_without_a_cuda_lowering():
    """Source-level guard that runs everywhere: the functions compiled for the GPU use math.*, not np.sqrt & co."""
    offenders = [hit for module, names in DEVICE_TWINS.items() for name in names
                 for hit in unlowered_calls(getattr(module, name))]
    for module in ("bandits.py", "rl.py"):           # (mdp.py calls np.abs on the host only)
        tree = ast.parse((ROOT / "gpu_kernels" / module).read_text())
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "np"
                    and node.func.attr in UNLOWERED_NUMPY):
                offenders.append(f"gpu_kernels/{module}:{node.lineno}")
    assert offenders == []


def test_the_source_guard_sees_np_sqrt():
    def uses_sqrt(x):
        import numpy as np
        return np.sqrt(x)
    hits = unlowered_calls(uses_sqrt)
    assert len(hits) == 1 and "np.sqrt(x)" in hits[0]


def test_every_kernel_compiles_for_sm90_without_spills():
    proc = _compilecheck("--json")
    rows = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
    kernels = [r for r in rows if "name" in r and r["name"].split(".")[0] in ("bandits", "mdp", "rl")]
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    # 8 bandit algorithms, the Bellman sweep, synchronous Q-learning, TD(0), UCB-H and UCBVI
    assert len(kernels) == 13 and all(r["ok"] for r in kernels), kernels
    assert all(r["registers"] is not None and r["registers"] <= 255 for r in kernels), kernels
    assert all(r["spill_bytes"] == 0 for r in kernels), kernels
    devices = [r for r in rows if "name" in r and r not in kernels]
    assert len(devices) >= 20 and all(r["ok"] for r in devices)


def test_the_check_refuses_a_kernel_that_uses_np_sqrt(tmp_path):
    """Control: the failure that hid behind the simulator (a NumPy ufunc on a scalar in a device function) is
    caught, and the first offending source line is named."""
    (tmp_path / "sqrt_control.py").write_text(textwrap.dedent("""
        import numpy as np
        from numba import cuda, types

        @cuda.jit(device=True)
        def radius(x):
            return np.sqrt(2.0 * x)

        def kernel(out):
            i = cuda.grid(1)
            if i < out.shape[0]:
                out[i] = radius(out[i])

        kernel.argtypes = (types.Array(types.float64, 1, "C"),)
    """))
    proc = _compilecheck("--only", "sqrt_control:kernel", extra_path=str(tmp_path))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "FAIL  sqrt_control:kernel" in proc.stdout
    assert "sqrt_control.py:7: return np.sqrt(2.0 * x)" in proc.stdout


def test_the_check_accepts_the_numba_cuda_the_gpucheck_extra_pins():
    """compiler_available() accepts only NUMBA_CUDA_VERSION (numba's own numba.cuda can find a system CUDA toolkit
    and then fails the check for reasons of its own): it must be the version pyproject.toml pins."""
    from gpu_kernels.compilecheck import NUMBA_CUDA_VERSION
    tomllib = pytest.importorskip("tomllib")                 # Python >= 3.11
    extra = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]["gpucheck"]
    assert f"numba-cuda=={NUMBA_CUDA_VERSION}" in extra
