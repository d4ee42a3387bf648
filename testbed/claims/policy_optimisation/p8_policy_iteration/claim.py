"""P8. Policy iteration: iteration counts, and PI against VI (Puterman 1994, Thm 6.4.6; Scherrer 2016; statements
of the counts recalled, to confirm: see ``status``).

1. From the same start, V^{pi_k} >= T^k V^{pi_0} pointwise (PI is never slower than VI): exact on generated MDPs,
   Garnets and slow-mixing chains (sticky chains with slip 0.01), gamma in {0.5, 0.9, 0.99}, at every k up to PI's
   stop.
2. Howard's PI stops after at most (m - n) ceil(1/(1 - gamma) log(1/(1 - gamma))) iterations, m = S A, n = S
   (Scherrer 2016; the order O(m/(1 - gamma) log(1/(1 - gamma))) is confirmed by the abstract, the constant is
   recalled): the count against the bound (exact upper bound, power by planted factor), with the policy at the stop
   optimal (against value iteration to 1e-12).
Not built: simple PI's 2^n - 1 iterations on the Melekopoglou-Condon family (their construction could not be read
here; the exponential lower bound is confirmed by the abstracts citing it). Simple PI's count is reported on the
generated MDPs.
Trap (control in test_p8.py): policy evaluation stopped after a fixed number of sweeps (one) makes PI stop early on
a policy that is not optimal: decided violated by the optimality part.
"""
import numpy as np

from proofs_check import howard_pi_scherrer2016
from tabular_envs import chain, garnet, value_iteration
from tabular_envs.policy_opt.policy_iteration import bellman_iterates, policy_iteration_counts
from testbed.claim import Source
from testbed.declare import DeclaredClaim, Part, Unit

GAMMAS = (0.5, 0.9, 0.99)
DOMINATION_TOLERANCE = 1e-9       # relative to 1/(1 - gamma): two exact evaluations and VI sweeps, rounding only
MAX_ITERATIONS = 1_000           # a run still improving after this is reported with this count (above every bound here)
_SIZES = {"quick": (2, 9), "standard": (5, 30), "full": (10, 60)}


class PolicyIterationCounts(DeclaredClaim):
    id = "P8"
    family = "policy_optimisation"
    title = "Policy iteration: V^{pi_k} >= T^k V^{pi_0}; Howard's PI within Scherrer's iteration bound"
    source = Source("Puterman; Scherrer", 2016, "Markov Decision Processes (1994); Improved and generalized upper "
                    "bounds on the complexity of policy iteration (Math. Oper. Res. 2016)",
                    "Puterman Thm 6.4.6; Scherrer Thm 3")
    status = "unconfirmed"
    check_type = "theorem"
    kind = ("upper_bound", "exact")
    power_note = ("Howard's PI stops within 4 iterations on every generated MDP of the confirmation run and the "
                  "largest ratio of its count to the bound is 0.25, so a constant too large by less than a factor 4 "
                  "cannot be seen; a search for slow instances (the known lower-bound families) is not built")
    statement = ("Unconfirmed: the constant of Howard's count, (m - n) ceil(1/(1-gamma) log(1/(1-gamma))), is "
                 "recalled (the abstract confirms the order); simple PI's 2^n - 1 on the Melekopoglou-Condon family "
                 "is not built. Statement: from the same start V^{pi_k} >= T^k V^{pi_0}; Howard's PI stops within the "
                 "count with an optimal policy.")
    parts = (Part("V^{pi_k} >= T^k V^{pi_0} and the stopped policy is optimal", "exact", units="domination_units",
                  params={"tolerance": DOMINATION_TOLERANCE}),
             Part("Howard's iterations <= (m - n) ceil(log(1/(1-gamma))/(1-gamma))", "exact_upper_bound",
                  units="count_units", params={"value": "Howard's PI iterations"}))

    def bound(self):
        return howard_pi_scherrer2016()

    def tasks(self, fidelity, root_seed):
        n_tasks, per_task = _SIZES[fidelity]
        return self.batched_tasks(fidelity, root_seed, n_tasks, {"mdps": per_task, "sweeps": None})

    def run_task(self, task):
        rng = np.random.default_rng(task.seed)
        rows = []
        for m in range(task.spec["mdps"]):
            g = GAMMAS[m % len(GAMMAS)]
            if m % 2:
                mdp = chain(int(rng.integers(3, 9)), gamma=g, slip=0.01)
            else:
                mdp = garnet(int(rng.integers(2, 8)), int(rng.integers(2, 5)), branching=2, gamma=g, rng=rng)
            pol0 = rng.integers(0, mdp.n_actions, mdp.n_states)
            howard = policy_iteration_counts(mdp, pol0, sweeps=task.spec["sweeps"], max_iterations=MAX_ITERATIONS)
            simple = policy_iteration_counts(mdp, pol0, rule="simple")
            K = howard["iterations"]
            vi = bellman_iterates(mdp, howard["values"][0], K)
            scale = 1 / (1 - g)
            v_star = value_iteration(mdp, epsilon=1e-12).values
            rows.append({"gamma": g, "S": mdp.n_states, "A": mdp.n_actions, "howard": K,
                         "simple": simple["iterations"],
                         "domination": float(np.max(vi - howard["values"])) / scale,
                         "optimality": float(np.max(v_star - howard["values"][-1])) / scale})
        return {k: np.array([r[k] for r in rows], dtype=np.float64) for k in rows[0]}

    @staticmethod
    def _cat(results, key):
        return np.concatenate([r[key] for r in results])

    def domination_units(self, tasks, results):
        """max_k max_s (T^k V^{pi_0} - V^{pi_k}) and V* - V^{pi_K} at the stop, both over 1/(1 - gamma)."""
        n = self._cat(results, "gamma").size
        return [Unit("max (T^k V^{pi_0} - V^{pi_k}) (1 - gamma)", max(0.0, self._cat(results, "domination").max()),
                     n=n),
                Unit("max (V* - V^{pi_K}) (1 - gamma) at PI's stop", max(0.0, self._cat(results, "optimality").max()),
                     n=n)]

    def count_units(self, tasks, results):
        """Howard's iteration counts per gamma against (S A - S) ceil(log(1/(1-gamma))/(1-gamma))."""
        g, S, A, K = (self._cat(results, k) for k in ("gamma", "S", "A", "howard"))
        return [Unit(f"gamma = {x}", K[m], at={"m": S[m] * A[m], "n": S[m], "gamma": x}, n=int(m.sum()),
                     info={"name": f"gamma = {x}"}) for x in GAMMAS for m in [g == x] if m.any()]

    def extra_evidence(self, tasks, results, delta):
        g, howard, simple = (self._cat(results, k) for k in ("gamma", "howard", "simple"))
        return {"by_gamma": {str(x): {"howard_max": float(howard[g == x].max()),
                                      "simple_max": float(simple[g == x].max())} for x in GAMMAS if (g == x).any()}}

    def evidence_lines(self, evidence):
        return super().evidence_lines(evidence)[:3] + [
            f"gamma = {x}: most Howard iterations {v['howard_max']:.0f}, most simple-PI iterations "
            f"{v['simple_max']:.0f}"
            for x, v in evidence["by_gamma"].items()]


CLAIM = PolicyIterationCounts()
