"""P9. Jacobi and Gauss-Seidel on causal (acyclic) systems (derived; GS-Jacobi sampling for TarFlow, seed paper).

x = F(x) on positions 1..L with F_i depending on x_{<i} only. Jacobi iteration x^{k+1} = F(x^k) is exact in
positions <= k after k iterations from any start, so exact after L, with no contraction needed: the Jacobian is
strictly lower triangular (nilpotent), and the error may grow before it collapses. Gauss-Seidel in causal order is
exact after one sweep; block GS-Jacobi after B inner iterations per block of size B. RL analogue: on a finite-horizon
(layered) MDP Jacobi value iteration is exact after H sweeps, Gauss-Seidel in reverse topological order after one.

Checked exactly (bit for bit, float64) on random causal tanh maps of length L = 32 with weight scale 3 (Lipschitz
constant ||W||_2 > 1, reported) from random starts, and on depth-H layered chain MDPs against backward induction.
Traps (the controls in test_p9.py): an off-by-one mask (x_i reads x_i) has no finite convergence; in-place updates
called Jacobi are exact after one sweep, not at iteration i.
"""
import numpy as np

from tabular_envs.policy_opt.causal import (
    block_gs_jacobi,
    causal_tanh_map,
    first_exact_iteration,
    gauss_seidel_sweep,
    gauss_seidel_value_iteration,
    jacobi_iterates,
    jacobi_value_iteration,
    layered_chain_values,
)
from testbed.claim import Source
from testbed.declare import DeclaredClaim, Part, Unit

LENGTH = 32
WEIGHT_SCALE = 3.0
BLOCK = 4
# positions whose first exact Jacobi iteration must be exactly i, not earlier: in floating point a later position's
# error can round away before iteration i (its sensitivity to x_1 is a product of up to i - 1 derivatives), so
# "exactly i" is decided where the chain is short; "at the latest i" is decided everywhere
EARLY_POSITIONS = 8
HORIZON = 8
_SIZES = {"quick": (2, 5), "standard": (5, 20), "full": (10, 50)}     # tasks, maps per task


class CausalJacobi(DeclaredClaim):
    id = "P9"
    family = "policy_optimisation"
    title = "Jacobi on a causal map is exact at position i after i iterations; Gauss-Seidel after one sweep"
    source = Source("derived (nilpotent Jacobian)", 2025, "GS-Jacobi sampling for TarFlow (seed paper); finite-horizon "
                    "value iteration", "derived")
    status = "confirmed"
    kind = ("exact", "falsification")
    no_bound = "finite-step identities (an iteration count equal to a position, a residual equal to 0): no inequality"
    statement = ("F_i depends on x_{<i} only: Jacobi x^{k+1} = F(x^k) is exact in positions <= k after k iterations "
                 "(first exact iteration at position i is i), from any start and any Lipschitz constant; Gauss-Seidel "
                 "in causal order is exact after one sweep, block GS-Jacobi after B inner iterations per block; Jacobi "
                 "VI on a depth-H layered MDP is exact after H sweeps, GS-VI in reverse topological order after one.")
    parts = (Part("Jacobi: exact at position i by iteration i", "exact", units="jacobi_units",
                  params={"tolerance": 0.0}),
             Part("the iterates are Jacobi: first exact iteration = i at positions i <= 8", "exact",
                  units="conformance_units", role="conformance", params={"tolerance": 0.0}),
             Part("Gauss-Seidel and block GS-Jacobi reach the fixed point", "exact", units="sweep_units",
                  params={"tolerance": 0.0}),
             Part("layered MDP: Jacobi VI exact after H sweeps, not before; GS-VI after one", "exact",
                  units="mdp_units", params={"tolerance": 0.0}))

    def tasks(self, fidelity, root_seed):
        n_tasks, per_task = _SIZES[fidelity]
        return self.batched_tasks(fidelity, root_seed, n_tasks,
                                  {"maps": per_task, "variant": "jacobi", "mask_offset": -1})

    def run_task(self, task):
        spec = task.spec
        rng = np.random.default_rng(task.seed)
        n = spec["maps"]
        first = np.empty((n, LENGTH), dtype=np.int64)
        gs_residual, block_residual, block_short, growth, lipschitz = (np.empty(n) for _ in range(5))
        for m in range(n):
            F = causal_tanh_map(LENGTH, WEIGHT_SCALE, rng, mask_offset=spec["mask_offset"])
            x0 = rng.normal(0, 2, LENGTH)
            x_star = gauss_seidel_sweep(F, rng.normal(0, 2, LENGTH))
            if spec["variant"] == "in_place":        # Gauss-Seidel sweeps mislabelled as Jacobi
                its = [x0]
                for _ in range(LENGTH + 2):
                    its.append(gauss_seidel_sweep(F, its[-1]))
                its = np.array(its)
            else:
                its = jacobi_iterates(F, x0, LENGTH + 2)
            first[m] = first_exact_iteration(its, x_star)
            gs_residual[m] = np.max(np.abs(F(gauss_seidel_sweep(F, x0)) - gauss_seidel_sweep(F, x0)))
            xb = block_gs_jacobi(F, x0, BLOCK, BLOCK)
            block_residual[m] = np.max(np.abs(F(xb) - xb))
            block_short[m] = np.max(np.abs(block_gs_jacobi(F, x0, BLOCK, BLOCK - 1) - x_star))
            near = x_star.copy()
            near[0] += 1e-3                       # a start off the fixed point in position 1 only
            err = np.max(np.abs(jacobi_iterates(F, near, LENGTH) - x_star), axis=1)
            growth[m] = err.max() / err[0]
            lipschitz[m] = F.lipschitz
        # the layered MDP
        vi_early, vi_exact, gs_error = (np.empty(n) for _ in range(3))
        for m in range(n):
            nxt, rew = layered_chain_values(HORIZON, rng.uniform(0, 1, (HORIZON, 5, 2)))
            V0 = rng.normal(0, 3, (HORIZON + 1, 5))
            truth = gauss_seidel_value_iteration(nxt, rew)        # backward induction
            sweeps = jacobi_value_iteration(nxt, rew, HORIZON, V0)
            vi_exact[m] = np.max(np.abs(sweeps[HORIZON] - truth))
            vi_early[m] = np.max(np.abs(sweeps[HORIZON - 1] - truth))
            gs_error[m] = np.max(np.abs(gauss_seidel_value_iteration(nxt, rew, V0) - truth))
        return {"first_exact": first, "gs_residual": gs_residual, "block_residual": block_residual,
                "block_short": block_short, "growth": growth, "lipschitz": lipschitz, "vi_exact": vi_exact,
                "vi_early": vi_early, "gs_vi_error": gs_error}

    @staticmethod
    def _all(results, key):
        return np.concatenate([np.atleast_1d(r[key]) for r in results])

    def jacobi_units(self, tasks, results):
        """The number of (map, position) pairs not exact by iteration i (never exact counts as late)."""
        first = np.concatenate([r["first_exact"] for r in results])
        late = (first < 0) | (first > np.arange(1, LENGTH + 1)[None, :])
        return [Unit("(map, position) pairs not exact by iteration i", float(late.sum()), n=first.shape[0])]

    def conformance_units(self, tasks, results):
        """The number of (map, position <= EARLY_POSITIONS) pairs whose first exact iteration is not i."""
        first = np.concatenate([r["first_exact"] for r in results])[:, :EARLY_POSITIONS]
        wrong = first != np.arange(1, EARLY_POSITIONS + 1)[None, :]
        return [Unit(f"(map, position <= {EARLY_POSITIONS}) pairs whose first exact iteration != i",
                     float(wrong.sum()), n=first.shape[0])]

    def sweep_units(self, tasks, results):
        """|F(x) - x| after one Gauss-Seidel sweep and after block GS-Jacobi with B inner iterations."""
        n = sum(len(r["gs_residual"]) for r in results)
        return [Unit("max |F(x) - x| after one Gauss-Seidel sweep", float(self._all(results, "gs_residual").max()),
                     n=n),
                Unit(f"max |F(x) - x| after block GS-Jacobi, B = {BLOCK} inner iterations",
                     float(self._all(results, "block_residual").max()), n=n)]

    def mdp_units(self, tasks, results):
        """Jacobi VI after H sweeps and GS-VI after one against backward induction; 'not before': 1 when some
        instance is still inexact after H - 1 sweeps is counted as 0 error, else 1."""
        n = sum(len(r["vi_exact"]) for r in results)
        early = self._all(results, "vi_early")
        return [Unit(f"max |V_Jacobi(H = {HORIZON} sweeps) - V*|", float(self._all(results, "vi_exact").max()), n=n),
                Unit("max |V_GS(1 sweep) - V*|", float(self._all(results, "gs_vi_error").max()), n=n),
                Unit("every instance still inexact after H - 1 Jacobi sweeps (0 yes, 1 no)",
                     float(not (early > 0).all()), n=n)]

    def extra_evidence(self, tasks, results, delta):
        first = np.concatenate([r["first_exact"] for r in results])
        return {"first_exact_median": np.median(first, axis=0).tolist(),
                "growth_max": float(self._all(results, "growth").max()),
                "growth_share": float(np.mean(self._all(results, "growth") > 1)),
                "lipschitz_min": float(self._all(results, "lipschitz").min()),
                "block_short_min": float(self._all(results, "block_short").min())}

    def evidence_lines(self, evidence):
        return super().evidence_lines(evidence) + [
            f"||W||_2 >= {evidence['lipschitz_min']:.2f} on every map (no contraction); from x* + 1e-3 e_1 the "
            f"Jacobi sup error grew above its start on {100 * evidence['growth_share']:.0f} % of the maps (largest "
            f"factor {evidence['growth_max']:.3g}) before collapsing",
            f"block GS-Jacobi with B - 1 inner iterations: smallest error {evidence['block_short_min']:.3g} (inexact)"]


CLAIM = CausalJacobi()
