"""P2. Natural policy gradient: sublinear without, linear with entropy regularisation (Agarwal, Kakade, Lee, Mahajan
2021, JMLR, Thm 16, confirmed from a textbook proof; Cen, Cheng, Chen, Wei, Chi 2021, Operations Research, Thm 1,
constant recalled, to confirm).

1. Unregularised softmax NPG from the uniform policy, pi_{t+1} proportional to pi_t exp(eta A_t / (1 - gamma)):
   V*(rho) - V^{(t)}(rho) <= log|A| / (eta t) + 1 / ((1 - gamma)^2 t), every t <= T (exact upper bound).
2. Entropy-regularised NPG, 0 < eta <= (1 - gamma)/tau, pi_{t+1} proportional to
   pi_t^{1 - eta tau/(1 - gamma)} exp(eta Q_tau^{(t)} / (1 - gamma)): ||Q*_tau - Q_tau^{(t+1)}|| <= C_1 gamma
   (1 - eta tau)^t, C_1 = ||Q*_tau - Q_tau^{(0)}|| + 2 tau (1 - eta tau/(1 - gamma)) ||log pi*_tau - log pi^(0)||;
   at eta = (1 - gamma)/tau it is soft policy iteration (rate gamma). Checked at every t while the bound is above
   1e-10 (below it the error is at the rounding floor of Q*_tau, about 1e-13).
Instance (catalogue): a random MDP with S = 5, A = 3, gamma = 0.9, tau = 0.2, uniform pi^(0), rho uniform,
eta tau in {0.01, 0.05, 0.1}; unregularised eta in {0.1, 1, 10}. The linear rate's base (the geometric mean of the
error ratios while the error is above 1e-10) is reported against 1 - eta tau: the iteration converges much faster
than the bound (Cen et al. also prove local quadratic convergence), so the bound is loose (power note).
Traps (test_p2.py): Q without the -tau log pi term (the wrong fixed point) is decided violated. The (1 - gamma)
scaling dropped from the update (pi^{1 - eta tau} exp(eta Q)) is the correct update at the step eta (1 - gamma), which
also converges faster than the bound at eta: this bound cannot see it (the test asserts `holds` and says so).
"""
import numpy as np

from proofs_check import entropy_npg_cen2021_thm1, npg_agarwal2021_thm16
from tabular_envs import garnet, value_iteration
from tabular_envs.policy_opt.soft_bellman import regularised_policy_evaluation, soft_greedy_policy, soft_value_iteration
from tabular_envs.policy_opt.softmax_pg import entropy_npg_step, npg_step, policy_values
from testbed.claim import Source
from testbed.declare import DeclaredClaim, Part, Unit

S, A, GAMMA, TAU = 5, 3, 0.9, 0.2
ETA_TAUS = (0.01, 0.05, 0.1)
NPG_ETAS = (0.1, 1.0, 10.0)
BOUND_FLOOR = 1e-10
_T = {"quick": (300, 3_000), "standard": (2_000, 3_000), "full": (2_000, 3_000)}   # NPG, entropy-NPG iterations
_MDPS = {"quick": 1, "standard": 3, "full": 5}


class NaturalPolicyGradient(DeclaredClaim):
    id = "P2"
    family = "policy_optimisation"
    title = "NPG: gap <= log A/(eta t) + 1/((1-gamma)^2 t); entropy-regularised NPG converges at rate 1 - eta tau"
    source = Source("Agarwal, Kakade, Lee, Mahajan; Cen, Cheng, Chen, Wei, Chi", 2021, "On the theory of policy "
                    "gradient methods (JMLR); Fast global convergence of natural policy gradient methods with entropy "
                    "regularization (Oper. Res.)", "Agarwal Thm 16; Cen Thm 1")
    status = "unconfirmed"
    check_type = "theorem"
    kind = ("upper_bound", "exact")
    power_note = ("both bounds are loose on the catalogue MDP (the NPG gap stays below 4 % of its bound; the entropy "
                  "NPG error below 42 %, and it converges superlinearly), so a step-size error such as the dropped "
                  "(1 - gamma) is not visible to them")
    statement = ("Unconfirmed: Cen et al.'s constant C_1 and the rate (1 - eta tau)^t are recalled, not read in the "
                 "paper (its abstract confirms linear convergence only). Agarwal et al.'s bound log|A|/(eta t) + "
                 "1/((1-gamma)^2 t) for unregularised NPG from the uniform policy is confirmed from a textbook's "
                 "statement of it with a complete proof (mirror-descent telescoping plus monotone improvement), read "
                 "step by step; its theorem number in the JMLR paper is not. Statement: unregularised softmax NPG: "
                 "V*(rho) - V^(t)(rho) <= log|A|/(eta t) + 1/((1-gamma)^2 t); entropy-regularised NPG with "
                 "0 < eta <= (1-gamma)/tau: ||Q*_tau - Q_tau^(t+1)|| <= C_1 gamma (1 - eta tau)^t.")
    parts = (Part("unregularised NPG: gap <= log|A|/(eta t) + 1/((1-gamma)^2 t)", "exact_upper_bound",
                  units="npg_units", params={"value": "V*(rho) - V^(t)(rho)"}),
             Part("entropy NPG: ||Q*_tau - Q^(t+1)|| <= C_1 gamma (1 - eta tau)^t", "exact_upper_bound",
                  units="entropy_units", params={"value": "||Q*_tau - Q_tau^(t+1)||"}))

    def bound(self):
        return entropy_npg_cen2021_thm1()

    def tasks(self, fidelity, root_seed):
        T_npg, T_ent = _T[fidelity]
        return [self.make_task(f"mdp{k}", {"T_npg": T_npg, "T_entropy": T_ent, "scaled": True, "entropy_in_q": True},
                               fidelity, root_seed, f"mdp{k}") for k in range(_MDPS[fidelity])]

    def run_task(self, task):
        spec = task.spec
        mdp = garnet(S, A, gamma=GAMMA, rng=np.random.default_rng(task.seed))
        rho = np.full(S, 1.0 / S)
        out = {}
        v_star = float(rho @ value_iteration(mdp, epsilon=1e-13).values)
        for eta in NPG_ETAS:
            pi = np.full((S, A), 1.0 / A)
            gaps = np.empty(spec["T_npg"])
            for t in range(spec["T_npg"]):
                pi = npg_step(mdp, pi, eta)
                gaps[t] = v_star - float(rho @ policy_values(mdp, pi)[0])     # gap of pi^(t+1)
            out[f"npg_{eta:g}"] = gaps
        Q_star, _, _ = soft_value_iteration(mdp, TAU, tol=1e-14)
        log_pi_star = np.log(soft_greedy_policy(Q_star, TAU))
        for et in ETA_TAUS:
            eta = et / TAU
            pi = np.full((S, A), 1.0 / A)
            Q0 = regularised_policy_evaluation(mdp, pi, TAU)[0]
            c1 = (np.max(np.abs(Q_star - Q0))
                  + 2 * TAU * (1 - eta * TAU / (1 - GAMMA)) * np.max(np.abs(log_pi_star - np.log(pi))))
            errs = []
            for t in range(spec["T_entropy"]):
                if c1 * GAMMA * (1 - et) ** t < BOUND_FLOOR:
                    break
                pi = entropy_npg_step(mdp, pi, eta, TAU, scaled=spec["scaled"], entropy_in_q=spec["entropy_in_q"])
                errs.append(float(np.max(np.abs(Q_star - regularised_policy_evaluation(mdp, pi, TAU)[0]))))
            out[f"entropy_{et:g}"] = np.array(errs)
            out[f"c1_{et:g}"] = np.array(c1)
        return out

    def npg_units(self, tasks, results):
        """V* - V^(t) at t = 1..T per (MDP, eta) against the bound at (eta, t)."""
        units = []
        for t, r in zip(tasks, results, strict=True):
            for eta in NPG_ETAS:
                g = r[f"npg_{eta:g}"]
                ts = np.arange(1, g.size + 1, dtype=float)
                units.append(Unit(f"{t.unit}, eta = {eta:g}", np.maximum(g, 0.0), n=1, bound=npg_agarwal2021_thm16(),
                                  at={"t": ts, "eta": eta, "A": A, "gamma": GAMMA},
                                  info={"name": f"{t.unit} NPG eta = {eta:g}"}))
        return units

    def entropy_units(self, tasks, results):
        """||Q*_tau - Q^(t+1)|| for t = 0.. while C_1 gamma (1 - eta tau)^t > 1e-10, per (MDP, eta tau)."""
        units = []
        for t, r in zip(tasks, results, strict=True):
            for et in ETA_TAUS:
                e = r[f"entropy_{et:g}"]
                units.append(Unit(f"{t.unit}, eta tau = {et:g}", e, n=1,
                                  at={"t": np.arange(e.size, dtype=float), "eta": et / TAU, "tau": TAU,
                                      "gamma": GAMMA, "C_1": float(r[f"c1_{et:g}"])},
                                  info={"name": f"{t.unit} entropy NPG eta tau = {et:g}"}))
        return units

    def extra_evidence(self, tasks, results, delta):
        r = results[0]
        curves = []
        for et in ETA_TAUS:
            e = r[f"entropy_{et:g}"]
            above = e[: int(np.argmax(e <= BOUND_FLOOR)) or e.size]      # before the error reaches the floor
            base = (float(np.exp(np.mean(np.diff(np.log(above))))) if above.size > 1 else float("nan"))
            curves.append({"eta_tau": et, "error": e.tolist(), "c1": float(r[f"c1_{et:g}"]), "base": base})
        npg = [{"eta": eta, "gap": r[f"npg_{eta:g}"].tolist()} for eta in NPG_ETAS]
        return {"entropy_curves": curves, "npg_curves": npg, "gamma": GAMMA, "A": A}

    def evidence_lines(self, evidence):
        return super().evidence_lines(evidence)[:2] + [
            f"entropy NPG, eta tau = {c['eta_tau']:g}: observed rate base {c['base']:.4f} vs 1 - eta tau = "
            f"{1 - c['eta_tau']:.4f} (C_1 = {c['c1']:.3f})" for c in evidence["entropy_curves"]]


CLAIM = NaturalPolicyGradient()
