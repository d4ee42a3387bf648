"""P5. Constrained MDPs: strong duality, randomised optima, oscillating primal-dual (Altman 1999, the CMDP linear
program; Paternain, Chamon, Calvo-Fullana, Ribeiro 2019, zero duality gap).

max_pi V_r(mu0) s.t. V_c(mu0) <= b is a linear program over discounted occupancy measures.
1. Strong duality: max_pi min_{lambda >= 0} V_r - lambda (V_c - b) = min_{lambda >= 0} max_pi of the same. Checked
   by two routes: the occupancy LP (HiGHS) and the dual function g(lambda) = max_pi V_{r - lambda c} + lambda b by
   value iteration, at HiGHS's multiplier and minimised over lambda (bounded scalar search).
2. An optimal policy may need to randomise, in at most as many states as there are constraints (one); the best
   deterministic feasible policy (enumerated) is strictly worse on the catalogue instance.
3. Primal-dual with exact gradients (NPG on r - lambda c, projected gradient on lambda, both steps 1/sqrt(T) for a
   run of T iterations: the no-regret step of each player) has no last-iterate guarantee: the last iterate's V_c
   keeps oscillating (range over the last fifth of the longest run above 1e-3), while the averaged occupancy
   converges: its final error (value gap plus constraint violation) over runs of T = T_1 < ... < T_J iterations has
   a log-log slope in T at most -1/2 + 0.1 (O(1/sqrt(T)), allowance 0.1). Procedure version note: the first version
   used constant steps (1 and 0.5) and one run; on the catalogue instance (deterministic, no seed) its average did not
   converge (slope +0.05), which is what constant steps give, so the steps became the 1/sqrt(T) of the theory before
   any standard run.
Instance (catalogue): S = 2, A = 2, gamma = 0.9, mu0 = e_0, P, r, c as in model.catalogue_cmdp, b = 2; and generated
CMDPs with a feasible budget for parts 1-2 (randomisation count only).
Traps (controls in test_p5.py): assuming a deterministic optimum (the best deterministic policy reported as the
optimum); the sign of lambda's step flipped.
"""
import numpy as np
from scipy.optimize import minimize_scalar

from tabular_envs import garnet
from tabular_envs.policy_opt.occupancy import (
    ConstrainedMDP,
    _optimal_value,
    best_deterministic_feasible,
    cmdp_lp,
    lagrangian_dual,
    policy_from_occupancy,
    randomised_states,
)
from testbed.claim import Source
from testbed.declare import DeclaredClaim, Part, Unit

from .model import catalogue_cmdp, primal_dual

DUALITY_TOLERANCE = 1e-8          # LP (HiGHS, ~1e-9 feasibility) against value iteration to 1e-13
OSCILLATION_FLOOR = 1e-3          # range of the last iterate's V_c over the last fifth
RATE_THRESHOLD = -0.5 + 0.1       # the average's error slope: O(1/sqrt(T)) with a 0.1 allowance
STEP_SCALE = 1.0                  # both steps = STEP_SCALE / sqrt(T)
_SIZES = {"quick": ((250, 1_000, 4_000), 20), "standard": ((500, 2_000, 8_000, 32_000), 100),
          "full": ((500, 2_000, 8_000, 32_000, 128_000), 200)}   # primal-dual run lengths, generated CMDPs


class CMDPDuality(DeclaredClaim):
    id = "P5"
    family = "policy_optimisation"
    title = "CMDP: zero duality gap, a randomised optimum, primal-dual cycles while its average converges"
    source = Source("Altman; Paternain, Chamon, Calvo-Fullana, Ribeiro", 2019, "Constrained Markov decision processes "
                    "(1999); Constrained reinforcement learning has zero duality gap (2019)",
                    "Altman Ch. 3 (occupancy LP); Paternain et al. Thm 1")
    status = "confirmed"
    kind = ("exact", "falsification")
    no_bound = ("identities (primal = dual), a count (randomised states <= constraints) and a declared slope "
                "threshold for the average: no bound expression to plant an error in")
    statement = ("max_pi V_r s.t. V_c <= b is an LP over occupancy measures; strong duality holds; an optimal policy "
                 "may need to randomise, in at most as many states as constraints, and the best deterministic feasible "
                 "policy can be strictly worse; primal-dual with exact gradients can cycle (no last-iterate "
                 "guarantee) while the averaged occupancy converges.")
    parts = (Part("strong duality: LP value = min_lambda g(lambda)", "exact", units="duality_units",
                  params={"tolerance": DUALITY_TOLERANCE}),
             Part("the optimum randomises in <= 1 state and beats every deterministic feasible policy", "exact",
                  units="randomisation_units", params={"tolerance": 0.0}),
             Part("primal-dual: the last iterate oscillates, the average converges at O(1/sqrt(t))", "exact",
                  units="primal_dual_units", params={"tolerance": 0.0}))

    def tasks(self, fidelity, root_seed):
        Ts, n = _SIZES[fidelity]
        return [self.make_task("catalogue", {"T": list(Ts), "sign": 1.0, "report": "lp"}, fidelity, root_seed,
                               "catalogue"),
                self.make_task("generated", {"cmdps": n, "report": "lp"}, fidelity, root_seed, "generated")]

    def run_task(self, task):
        spec = task.spec
        if task.unit == "catalogue":
            cmdps = [catalogue_cmdp()]
        else:
            rng = np.random.default_rng(task.seed)
            cmdps = []
            for _ in range(spec["cmdps"]):
                mdp = garnet(int(rng.integers(2, 5)), int(rng.integers(2, 4)), gamma=float(rng.uniform(0.5, 0.95)),
                             rng=rng)
                cost = rng.uniform(0, 1, mdp.r.shape)
                lo, hi = -_optimal_value(mdp, -cost), _optimal_value(mdp, cost)
                cmdps.append(ConstrainedMDP(mdp, cost, lo + float(rng.uniform(0.05, 0.95)) * (hi - lo)))
        out = {k: [] for k in ("primal", "dual_at_multiplier", "dual_min", "randomised", "deterministic", "reported")}
        for cm in cmdps:
            value, d, lam = cmdp_lp(cm)
            hi = 2 * max(lam, 1.0) * 10
            res = minimize_scalar(lambda x, cm=cm: lagrangian_dual(cm, x), bounds=(0.0, hi), method="bounded",
                                  options={"xatol": 1e-12})
            det, _ = best_deterministic_feasible(cm)
            out["primal"].append(value)
            out["dual_at_multiplier"].append(lagrangian_dual(cm, lam))
            out["dual_min"].append(min(float(res.fun), lagrangian_dual(cm, lam)))
            out["randomised"].append(randomised_states(policy_from_occupancy(d)))
            out["deterministic"].append(det)
            # the value the run reports as the optimum: the LP's, or (the trap) the best deterministic policy's
            out["reported"].append(value if spec["report"] == "lp" else det)
        result = {k: np.array(v, dtype=np.float64) for k, v in out.items()}
        if task.unit == "catalogue":
            finals = []
            for T in spec["T"]:
                step = STEP_SCALE / np.sqrt(T)
                last, avg, lams = primal_dual(cmdps[0], T, step, step, spec["sign"])
                finals.append(avg[-1])
            result.update({"last": last, "avg": avg, "lambda": lams, "T": np.array(spec["T"], dtype=np.float64),
                           "final_avg": np.array(finals)})
        return result

    def _by_unit(self, tasks, results):
        return {t.unit: r for t, r in zip(tasks, results, strict=True)}

    def duality_units(self, tasks, results):
        """|reported optimum - g(lambda_LP)| and |reported optimum - min_lambda g| per instance set."""
        units = []
        for name, r in self._by_unit(tasks, results).items():
            units.append(Unit(f"{name}: |optimum - g(lambda_LP)|", np.abs(r["reported"] - r["dual_at_multiplier"]),
                              n=r["primal"].size))
            units.append(Unit(f"{name}: |optimum - min_lambda g(lambda)|", np.abs(r["reported"] - r["dual_min"]),
                              n=r["primal"].size))
        return units

    def randomisation_units(self, tasks, results):
        """Randomised states beyond the one constraint (every instance), and on the catalogue instance 1 when the
        best deterministic feasible policy is not strictly worse than the optimum (by more than 1e-6)."""
        units = [Unit(f"{name}: randomised states - 1 (when positive)", np.maximum(r["randomised"] - 1, 0),
                      n=r["primal"].size) for name, r in self._by_unit(tasks, results).items()]
        cat = self._by_unit(tasks, results)["catalogue"]
        units.append(Unit("catalogue: deterministic optimum not strictly worse (1 yes)",
                          float(cat["reported"][0] - cat["deterministic"][0] <= 1e-6), n=1))
        return units

    def primal_dual_units(self, tasks, results):
        """1 when the last iterate's V_c settles (range over the last fifth of the longest run below the floor); 1
        when the slope of the average's final error over the run lengths T is above the declared threshold."""
        cat = self._by_unit(tasks, results)["catalogue"]
        tail = cat["last"][-len(cat["last"]) // 5:, 1]
        slope = self._average_slope(cat)
        return [Unit("last iterate settles (1 yes)", float(np.ptp(tail) < OSCILLATION_FLOOR), n=1),
                Unit(f"average's error slope {slope:.3f} above {RATE_THRESHOLD} (1 yes)",
                     float(not slope <= RATE_THRESHOLD), n=1)]

    @staticmethod
    def _average_error(cat, avg=None):
        avg = cat["avg"] if avg is None else avg
        opt, b = float(cat["primal"][0]), 2.0
        return np.abs(avg[..., 0] - opt) + np.maximum(avg[..., 1] - b, 0.0)

    def _average_slope(self, cat):
        err = self._average_error(cat, cat["final_avg"])
        return float(np.polyfit(np.log(cat["T"]), np.log(np.maximum(err, 1e-300)), 1)[0])

    def extra_evidence(self, tasks, results, delta):
        cat = self._by_unit(tasks, results)["catalogue"]
        T = cat["last"].shape[0]
        idx = np.unique(np.round(np.logspace(0, np.log10(T), 200)).astype(int)) - 1
        return {"t": (idx + 1).tolist(), "last_vc": cat["last"][idx, 1].tolist(),
                "last_vr": cat["last"][idx, 0].tolist(),
                "avg_error": self._average_error(cat)[idx].tolist(), "optimum": float(cat["primal"][0]),
                "deterministic": float(cat["deterministic"][0]), "budget": 2.0,
                "avg_slope": self._average_slope(cat), "run_lengths": cat["T"].tolist(),
                "final_errors": self._average_error(cat, cat["final_avg"]).tolist(),
                "tail_range": float(np.ptp(cat["last"][-T // 5:, 1])),
                "lambda_last": float(cat["lambda"][-1])}

    def evidence_lines(self, evidence):
        return super().evidence_lines(evidence) + [
            f"catalogue CMDP: optimum {evidence['optimum']:.6f} (randomised), best deterministic feasible "
            f"{evidence['deterministic']:.6f}",
            f"primal-dual: last iterate's V_c ranges over {evidence['tail_range']:.3g} in the last fifth; the "
            f"average's error slope {evidence['avg_slope']:.3f} (claimed <= {RATE_THRESHOLD})"]


CLAIM = CMDPDuality()
