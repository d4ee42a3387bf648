"""E7. Retraining on self-induced data: stability or oscillation (Perdomo, Zrnic, Mendler-Dunner, Hardt 2020, ICML,
Theorem 3.5 and Proposition 3.6).

For a gamma-strongly convex, beta-smooth loss and an epsilon-sensitive distribution map, repeated risk minimisation
converges linearly, ||theta_t - theta_PS|| <= (epsilon beta / gamma)^t ||theta_0 - theta_PS||, when epsilon <
gamma/beta, and can fail at epsilon >= gamma/beta. Instance (catalogue): z ~ N(mu + epsilon theta, 1), loss
(1/2)(z - theta)^2, mu = 1, so gamma = beta = 1 and theta_{t+1} = mu + epsilon theta_t, exactly
(``tabular_envs.estimation.performative``).
1. epsilon in {0.5, -0.9}: the distance to theta_PS = mu/(1 - epsilon) is at most the Theorem 3.5 rate at every
   t <= 200, up to rounding (1e-12 of the start's distance); here it is attained (|epsilon|^t exactly).
2. epsilon in {-1, 1, 1.5}: repeated risk minimisation does not converge (period-2 oscillation, drift, divergence):
   a last-iterate test |theta_T - theta_{T-1}| <= 1e-9 must not declare convergence.
Trap (control in test_e7.py): reporting the last iterate of an oscillating sequence as converged (a stride-2
last-iterate test, which calls the epsilon = -1 oscillation converged).
Not built: the logged two-action bandit retrained by an ERM oracle on its own data.
"""
import numpy as np

from proofs_check import repeated_risk_minimisation_rate
from tabular_envs.estimation.performative import declares_converged, repeated_risk_minimisation, stable_point
from testbed.claim import Source
from testbed.declare import DeclaredClaim, Part, Unit

MU = 1.0
STABLE_EPSILONS = (0.5, -0.9)
UNSTABLE_EPSILONS = (-1.0, 1.0, 1.5)
T = 200
ROUNDING = 1e-12
CONVERGENCE_TOL = 1e-9
_STARTS = {"quick": 3, "standard": 10, "full": 20}


class PerformativeRetraining(DeclaredClaim):
    id = "E7"
    family = "estimation"
    title = "Repeated risk minimisation: linear convergence for epsilon < gamma/beta, oscillation or divergence beyond"
    source = Source("Perdomo, Zrnic, Mendler-Dunner, Hardt", 2020, "Performative prediction (ICML)",
                    "Theorem 3.5, Proposition 3.6")
    status = "confirmed"
    kind = ("exact", "falsification")
    statement = ("For a gamma-strongly convex, beta-smooth loss and an epsilon-sensitive distribution map, repeated "
                 "risk minimisation converges linearly to the performatively stable point at rate epsilon beta/gamma "
                 "when epsilon < gamma/beta, and can fail when epsilon >= gamma/beta.")
    parts = (Part("epsilon < gamma/beta: ||theta_t - theta_PS|| within the Theorem 3.5 rate", "exact",
                  units="rate_units", params={"tolerance": ROUNDING}),
             Part("epsilon >= gamma/beta: no convergence (the last-iterate test says so)", "exact",
                  units="failure_units", params={"tolerance": 0.0}))

    def bound(self):
        return repeated_risk_minimisation_rate()

    def tasks(self, fidelity, root_seed):
        return [self.make_task("starts", {"starts": _STARTS[fidelity], "stride": 1}, fidelity, root_seed, "starts")]

    def run_task(self, task):
        rng = np.random.default_rng(task.seed)
        starts = rng.normal(0, 3, task.spec["starts"])
        bound = repeated_risk_minimisation_rate()
        excess = []
        for eps in STABLE_EPSILONS:
            ps = stable_point(MU, eps)
            worst = 0.0
            for th0 in starts:
                d = np.abs(repeated_risk_minimisation(MU, eps, th0, T) - ps)
                rate = bound.evaluate(epsilon=abs(eps), beta=1.0, gamma_sc=1.0, t=np.arange(T + 1.0), e_0=d[0])
                worst = max(worst, float(np.max(d - rate)) / d[0])
            excess.append(worst)
        declared = [[declares_converged(repeated_risk_minimisation(MU, eps, th0, T), CONVERGENCE_TOL,
                                        task.spec["stride"]) for th0 in starts] for eps in UNSTABLE_EPSILONS]
        return {"rate_excess": np.array(excess), "declared_converged": np.array(declared, dtype=np.float64)}

    def rate_units(self, tasks, results):
        """max_t (||theta_t - theta_PS|| - (|epsilon| beta/gamma)^t ||theta_0 - theta_PS||) / ||theta_0 - theta_PS||."""
        r = results[0]
        return [Unit(f"epsilon = {e}: largest excess over the rate (relative)", float(r["rate_excess"][i]), n=1)
                for i, e in enumerate(STABLE_EPSILONS)]

    def failure_units(self, tasks, results):
        """The number of starts at which the last-iterate test declares convergence."""
        r = results[0]
        return [Unit(f"epsilon = {e}: starts declared converged", float(r["declared_converged"][i].sum()),
                     n=r["declared_converged"].shape[1]) for i, e in enumerate(UNSTABLE_EPSILONS)]

    def extra_evidence(self, tasks, results, delta):
        paths = {str(e): repeated_risk_minimisation(MU, e, 3.0, 30).tolist()
                 for e in STABLE_EPSILONS + UNSTABLE_EPSILONS}
        return {"paths": paths}


CLAIM = PerformativeRetraining()
