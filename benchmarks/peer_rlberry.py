"""Peer comparison: rlberry-scool's UCBVIAgent and QLAgent (https://github.com/rlberry-py/rlberry-scool, PyPI
``rlberry-scool``; version printed) against ``tabular_envs.rl``, in the same process, on the same Garnet
(S = 20, A = 4; H = 10 for the episodic agents). Environment steps per second, one replication, one thread.

The algorithms are relatives, not twins, and the ratio is about the machinery, not identical arithmetic:
rlberry's UCBVI uses its "simplified Bernstein" bonus (sqrt(1/n) + v_max/n) and steps a gymnasium environment in
Python; ours is UCBVI-CH/BF as catalogued, in Numba, on the counter-based tape. rlberry's QLAgent is asynchronous
epsilon-greedy Q-learning on one trajectory; ours is synchronous Q-learning (one sample of every pair per iteration).

    pip install rlberry-scool      # in a separate environment: it pulls gymnasium and more
    python benchmarks/peer_rlberry.py [--episodes 300]
Prints a line and exits 0 when rlberry-scool is not installed.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--episodes", type=int, default=300)
    args = ap.parse_args(argv)
    try:
        from importlib.metadata import version

        from rlberry.envs.finite_mdp import FiniteMDP
        from rlberry_scool.agents.tabular_rl import QLAgent
        from rlberry_scool.agents.ucbvi import UCBVIAgent
    except ImportError:
        print("rlberry-scool is not installed: no peer comparison (pip install rlberry-scool)")
        return 0
    from tabular_envs import garnet
    from tabular_envs.rl import synchronous_q_learning
    from tabular_envs.rl.episodic import episodic_model
    from tabular_envs.rl.ucbvi import ucbvi

    g = garnet(20, 4, 5, gamma=0.9, rng=0)
    H, K = 10, args.episodes
    print(f"rlberry-scool {version('rlberry-scool')}, rlberry {version('rlberry')}; Garnet S = 20, A = 4, H = {H}")
    env = FiniteMDP(g.r, g.P, initial_state_distribution=0)
    agent = UCBVIAgent(env, gamma=1.0, horizon=H)
    t0 = time.perf_counter()
    agent.fit(budget=K)
    peer = K * H / (time.perf_counter() - t0)
    m = episodic_model(g.P, g.r, H)
    ucbvi(m, 10, bonus="bf")                                                   # compile
    K_ours = 100 * K
    t0 = time.perf_counter()
    ucbvi(m, K_ours, bonus="bf", seed=1)
    ours = K_ours * H / (time.perf_counter() - t0)
    print(f"  UCBVI: rlberry {peer:10.3e} steps/s   tabular_envs.rl (BF) {ours:10.3e} steps/s   ratio "
          f"{ours / peer:.0f}x")
    steps = 20 * K * H
    agent = QLAgent(env, gamma=0.9, alpha=0.1, exploration_type="epsilon", exploration_rate=0.1)
    t0 = time.perf_counter()
    agent.fit(budget=steps)
    peer = steps / (time.perf_counter() - t0)
    q0 = np.zeros((20, 4))
    synchronous_q_learning(g.P, g.r, 0.9, 10, q0)                              # compile
    T = 20_000
    t0 = time.perf_counter()
    synchronous_q_learning(g.P, g.r, 0.9, T, q0, seed=1)
    ours = T * 80 / (time.perf_counter() - t0)
    print(f"  Q-learning: rlberry {peer:10.3e} steps/s   tabular_envs.rl (synchronous) {ours:10.3e} transitions/s"
          f"   ratio {ours / peer:.0f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
