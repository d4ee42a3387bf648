"""GPU bandit kernels (issue 15), without a GPU: Numba's CUDA simulator runs them on the CPU at tiny sizes, in a
child process (the simulator is chosen when Numba is imported, so it cannot share this process). Every algorithm
and reward family must give the CPU kernels' pull counts on the same seeds."""
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tabular_envs.bandits.simulate import ALGORITHMS

ROOT = Path(__file__).resolve().parents[1]


def _simulated(args) -> subprocess.CompletedProcess:
    env = dict(os.environ, NUMBA_ENABLE_CUDASIM="1", PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "gpu_kernels.simcheck", *args], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=900)


@pytest.fixture(scope="module")
def rows():
    proc = _simulated([])
    lines = [json.loads(x) for x in proc.stdout.splitlines() if x.startswith("{")]
    assert lines, proc.stderr[-2000:]
    return {(r["algorithm"], r["family"]): r for r in lines}


@pytest.mark.parametrize("algorithm", list(ALGORITHMS))
@pytest.mark.parametrize("family", ["bernoulli", "gaussian"])
def test_gpu_kernel_pulls_equal_the_cpu_kernel(rows, algorithm, family):
    row = rows[(algorithm, family)]
    assert row["pulls_equal"], (row["pulls_cpu"], row["pulls_gpu"])
    assert row["max_regret_diff"] <= 1e-9
    assert np.sum(row["pulls_gpu"]) > 0


def test_the_comparison_detects_a_different_algorithm():
    """Power of the check: the simulated UCB1 GPU kernel compared with the CPU MOSS kernel on the same tape must
    differ (if it did not, equal counts above would prove nothing)."""
    script = ("import numpy as np\n"
              "from gpu_kernels.bandits import simulate_gpu\n"
              "from tabular_envs.bandits import kernels as cpu\n"
              "from tabular_envs.bandits.simulate import log_checkpoints\n"
              "mu = np.array([0.3, 0.55, 0.5, 0.2]); ck = log_checkpoints(120); p = np.array([2.0])\n"
              "a, b = np.zeros((3, ck.size)), np.zeros((3, 4)); c, d = np.zeros_like(a), np.zeros_like(b)\n"
              "cpu.simulate_serial(9, mu, False, 1.0, 120, np.uint64(11), 5, ck, np.array([4.0]), a, b)\n"
              "simulate_gpu(3, mu, False, 1.0, 120, 11, 5, ck, p, c, d, threads_per_block=2)\n"
              "print('DIFFER' if not np.array_equal(b, d) else 'SAME')\n")
    env = dict(os.environ, NUMBA_ENABLE_CUDASIM="1", PYTHONPATH=str(ROOT))
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, cwd=ROOT,
                          timeout=600)
    assert proc.stdout.strip().splitlines()[-1] == "DIFFER", proc.stderr[-2000:]


def test_rl_kernels_equal_the_cpu_and_the_check_sees_another_seed():
    """Synchronous Q-learning (every schedule, optimality and a policy), TD(0) (i.i.d. and Markov, constant and
    decaying steps), UCB-H (both rates, homogeneous and stage-dependent, with its first-reward search) and UCBVI
    (every bonus, two variants), routed to their GPU kernels by ``activate('gpu')``, give the CPU's arrays exactly in
    the simulator; the control row (the GPU on another seed) must differ, or equality would prove nothing."""
    proc = _simulated(["--rl"])
    rows = [json.loads(x) for x in proc.stdout.splitlines() if x.startswith("{")]
    assert len(rows) == 30, proc.stderr[-2000:]
    assert all(r["routed_to_gpu"] and r["max_abs_diff"] == 0.0 for r in rows[:-1]), rows
    assert rows[-1]["max_abs_diff"] > 0.1, rows[-1]
    assert proc.returncode == 0


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["--mdp", "--route"])
def test_batched_sweeps_and_the_simulate_route_agree_with_the_cpu(mode):
    """--mdp: optimality and evaluation sweeps against NumPy (1e-12) and batched value iteration against policy
    iteration's V* (1e-9); --route: ``activate('gpu')`` sends ``simulate`` through the GPU kernels with the CPU's
    pull counts."""
    proc = _simulated([mode])
    assert proc.returncode == 0, (proc.stdout, proc.stderr[-2000:])
    row = json.loads(proc.stdout.strip().splitlines()[-1])
    assert row.get("pulls_equal", True) and row.get("sweep_max_abs_err", 0.0) <= 1e-12


def test_backend_gpu_without_a_gpu_is_one_line_and_exit_2(tmp_path, capsys):
    from gpu_kernels import gpu_available
    from testbed.cli import main
    if gpu_available():
        pytest.skip("a GPU is present: --backend gpu is valid here")
    assert main(["run", "B1", "--backend", "gpu", "--store", str(tmp_path / "s.sqlite"), "--no-progress"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--backend gpu: no GPU here" in err[0]
    assert not (tmp_path / "s.sqlite").exists()


def test_one_table_of_bodies_serves_every_algorithm_and_agent_on_both_targets():
    """Every algorithm ``simulate`` accepts has one body, and the CPU kernels and GPU kernels are both made from that
    table; every agent with a GPU driver slot has a GPU driver."""
    from gpu_kernels.bandits import GPU_ALGORITHMS
    from gpu_kernels.rl import GPU_AGENTS
    from tabular_envs.bandits import kernels
    from tabular_envs.rl.drivers import AGENTS
    codes = {code for code, _ in ALGORITHMS.values()}
    assert codes == set(kernels.BODIES) == set(kernels.KERNELS) == set(GPU_ALGORITHMS)
    assert all(kernels.KERNELS[c].py_func.__globals__["body"] is kernels.BODIES[c] for c in codes)
    assert set(GPU_AGENTS) == set(AGENTS)
