"""S9. TD(0) finite-time rates (Bhandari, Russo, Singal 2018; constants unconfirmed).

Tabular TD(0) (one-hot features, ``tabular_envs.rl.td0``) on a 5-state random Markov reward process, gamma = 0.9,
errors in the stationary norm ||V - V^pi||_mu^2, i.i.d. observations (s ~ mu, s' from the tape) unless said:
- averaged iterate with the constant step alpha = 1/sqrt(T): E||V_bar_T - V^pi||^2 = O(1/sqrt(T)): slope in T below
  -1/2 + 0.05;
- decaying step alpha_t = beta/(lambda + t), beta = 2/((1 - gamma) omega), omega = min_s mu(s), lambda = beta:
  E||V_T - V^pi||^2 = O(1/T): slope below -1 + 0.1, for i.i.d. observations and along one Markov trajectory;
- constant step: the error settles to a floor proportional to alpha: slope of the floor in alpha within
  [1 - 0.2, 1 + 0.2].
- linear features (3 features for 5 states, ``linear_td0``), averaged iterate with alpha = 1/sqrt(T): the error
  ||V_theta_bar - V_theta*||_D^2 to the projected fixed point, slope in T below -1/2 + 0.05, with i.i.d.
  observations and, for projected TD (radius 2 ||theta*||, the algorithm of the Markov-noise theorem), along one
  Markov trajectory. (The Markov threshold ignores the theorem's log T factor. The tolerance, the same as the
  tabular averaged unit's, was written after an exploratory run that measured -0.85 for both.)
Slopes are decided with linearised t intervals over replications, Bonferroni over the seven units. The
tolerances were set after an exploratory run on the same process (slopes -0.63, -0.98, 1.01), which the note
discloses.
Reported, not decided: the Markov-noise prefactor against the mixing time. On lazy versions P_lam = lam I +
(1 - lam) P (lam = 0, 0.75, 0.9375; t_mix, the first t with max_s TV(P^t(s, .), mu) <= 1/4, is computed), the
constant-step (alpha = 0.02) floor along one trajectory is divided by the i.i.d. floor of the same chain. Thm 3's
prefactor grows with t_mix, but it is an upper bound: in exploratory runs the ratio stayed between 0.95 and 1.11
while t_mix went from 2 to 31 (the raw errors grow mostly because the lazy chain's values and variances grow), so a
decided trend would be a claim the theorem does not make. Not built: linear features beyond one-hot, projected TD.
"""
import numpy as np

from tabular_envs.rl.linear_td import linear_td0, td_fixed_point
from tabular_envs.rl.td import stationary_distribution, td0
from testbed.claim import Claim, Source
from testbed.stats import combine_verdicts, decide_slope_above, decide_slope_below

GAMMA = 0.9
_T_GRID = {"quick": (1000, 4000, 16000, 64000, 256000), "standard": (1000, 4000, 16000, 64000, 256000),
           "full": (1000, 4000, 16000, 64000, 256000, 1024000)}
_REPS = {"quick": 300, "standard": 3000, "full": 10000}
ALPHAS = (0.01, 0.02, 0.04, 0.08)
FLOOR_T = 50_000
TOL_AVG, TOL_DECAY, TOL_FLOOR = 0.05, 0.1, 0.2
TOL_LINEAR = 0.05
_LINEAR_REPS = {"quick": 300, "standard": 1000, "full": 3000}


def linear_features() -> np.ndarray:
    """Three features for the five states (not one-hot: V^pi is not representable), rows scaled so that the largest
    norm is 1 (Bhandari et al. assume ||phi|| <= 1)."""
    phi = np.random.default_rng(1).normal(size=(5, 3))
    return phi / np.linalg.norm(phi, axis=1).max()
LAZINESS, MIX_ALPHA = (0.0, 0.75, 0.9375), 0.02
_MIX_REPS = {"quick": 300, "standard": 1000, "full": 3000}


def mixing_time(P: np.ndarray, threshold: float = 0.25) -> int:
    """The first t with max_s TV(P^t(s, .), mu) <= threshold."""
    mu = stationary_distribution(P)
    Pt = np.eye(len(P))
    for t in range(1, 100_000):
        Pt = Pt @ P
        if 0.5 * np.abs(Pt - mu).sum(axis=1).max() <= threshold:
            return t
    raise RuntimeError("the chain does not mix within 100000 steps")


def reward_process():
    rng = np.random.default_rng(0)
    return rng.dirichlet(np.ones(5), size=5), rng.uniform(0, 1, 5)


class TDRates(Claim):
    id = "S9"
    family = "sample_complexity"
    title = "TD(0): O(1/sqrt T) averaged, O(1/T) with decaying steps, a floor proportional to a constant step"
    source = Source("Bhandari, Russo, Singal", 2018, "A finite time analysis of temporal difference learning with "
                    "linear function approximation", "Thms 2 and 3 (i.i.d.), Section 8 (Markov, projected TD)")
    status = "unconfirmed"
    kind = ("rate",)
    no_bound = "orders in T and alpha with unconfirmed constants; decided as slopes with stated tolerances"
    statement = ("Averaged TD(0) with alpha = 1/sqrt(T): E||V_theta* - V_theta_bar||_D^2 = O(1/sqrt(T)); decaying "
                 "alpha_t = beta/(lambda + t), beta = 2/((1 - gamma) omega): E||theta* - theta_T||^2 = O(1/T); "
                 "constant alpha: geometric decay to a floor proportional to alpha. [constants unconfirmed]")

    def tasks(self, fidelity, root_seed):
        out = [
            self.make_task(
                f"averaged/T{T}",
                {"mode": "averaged", "T": T, "reps": _REPS[fidelity]},
                fidelity,
                root_seed,
                f"averaged/T{T}",
            )
            for T in _T_GRID[fidelity]
        ]
        out += [
            self.make_task(
                f"decaying/{m}",
                {"mode": "decaying", "markov": m == "markov", "T": _T_GRID[fidelity][-1], "reps": _REPS[fidelity]},
                fidelity,
                root_seed,
                f"decaying/{m}",
            )
            for m in ("iid", "markov")
        ]
        out += [self.make_task(f"linear/{m}/T{T}", {"mode": "linear", "markov": m == "markov", "T": T,
                                                    "reps": _LINEAR_REPS[fidelity]}, fidelity, root_seed,
                               f"linear/{m}/T{T}") for m in ("iid", "markov") for T in _T_GRID[fidelity]]
        out += [
            self.make_task(
                f"mixing/lam{lam}",
                {"mode": "mixing", "lam": lam, "T": FLOOR_T, "reps": _MIX_REPS[fidelity]},
                fidelity,
                root_seed,
                f"mixing/{lam}",
            )
            for lam in LAZINESS
        ]
        out += [
            self.make_task(
                f"constant/alpha{a}",
                {"mode": "constant", "alpha": a, "T": FLOOR_T, "reps": _REPS[fidelity]},
                fidelity,
                root_seed,
                f"constant/{a}",
            )
            for a in ALPHAS
        ]
        return out

    def run_task(self, task):
        P, r = reward_process()
        spec = task.spec
        if spec["mode"] == "averaged":
            _, avg = td0(P, r, GAMMA, spec["T"], alpha=1 / np.sqrt(spec["T"]), seed=task.seed,
                         n_replications=spec["reps"])
            return {"error": avg[:, -1], "T": np.array(spec["T"])}
        if spec["mode"] == "decaying":
            beta = 2 / ((1 - GAMMA) * stationary_distribution(P).min())
            ck = np.array([t for t in _T_GRID["full"] if t <= spec["T"]])
            last, _ = td0(P, r, GAMMA, spec["T"], beta=beta, lam=beta, markov=spec["markov"], seed=task.seed,
                          n_replications=spec["reps"], checkpoints=ck)
            return {"error": last, "T": ck}
        if spec["mode"] == "mixing":
            Pl = spec["lam"] * np.eye(len(r)) + (1 - spec["lam"]) * P
            out = {"t_mix": np.array(mixing_time(Pl)), "lam": np.array(spec["lam"])}
            for markov in (False, True):
                last, _ = td0(Pl, r, GAMMA, spec["T"], alpha=MIX_ALPHA, markov=markov, seed=task.seed,
                              n_replications=spec["reps"])
                out["markov" if markov else "iid"] = last[:, -1]
            return out
        if spec["mode"] == "linear":
            phi = linear_features()
            radius = 2 * np.linalg.norm(td_fixed_point(P, r, GAMMA, phi)) if spec["markov"] else None
            _, avg = linear_td0(P, r, GAMMA, phi, spec["T"], alpha=1 / np.sqrt(spec["T"]), radius=radius,
                                markov=spec["markov"], seed=task.seed, n_replications=spec["reps"])
            return {"error": avg[:, -1], "T": np.array(spec["T"])}
        last, _ = td0(P, r, GAMMA, spec["T"], alpha=spec["alpha"], seed=task.seed, n_replications=spec["reps"])
        return {"error": last[:, -1], "alpha": np.array(spec["alpha"])}

    def decide(self, tasks, results):
        by_mode = {}
        for t, r in zip(tasks, results, strict=True):
            by_mode.setdefault(t.spec["mode"], []).append((t, r))
        avg = sorted(by_mode["averaged"], key=lambda tr: tr[0].spec["T"])
        avg_x = np.array([t.spec["T"] for t, _ in avg], dtype=float)
        avg_y = np.column_stack([r["error"] for _, r in avg])
        dec = sorted(by_mode["decaying"], key=lambda tr: tr[0].spec["markov"])
        flo = sorted(by_mode["constant"], key=lambda tr: tr[0].spec["alpha"])
        flo_x = np.array([t.spec["alpha"] for t, _ in flo])
        flo_y = np.column_stack([r["error"] for _, r in flo])
        lin = {m: sorted([tr for tr in by_mode.get("linear", []) if tr[0].spec["markov"] == (m == "markov")],
                         key=lambda tr: tr[0].spec["T"]) for m in ("iid", "markov")}
        lin_x = {m: np.array([t.spec["T"] for t, _ in v], dtype=float) for m, v in lin.items()}
        lin_y = {m: np.column_stack([r["error"] for _, r in v]) for m, v in lin.items()}
        d = self.delta / 7
        parts = {
            "linear features, averaged": decide_slope_below(
                [lin_y["iid"], lin_y["markov"]], [lin_x["iid"], lin_x["markov"]], -0.5 + TOL_LINEAR, 2 * d,
                ["linear TD, i.i.d., averaged: slope in T (threshold -1/2 + 0.05)",
                 "projected linear TD, Markov, averaged: slope in T (threshold -1/2 + 0.05)"]),
            "averaged, alpha = 1/sqrt(T)": decide_slope_below([avg_y], [avg_x], -0.5 + TOL_AVG, d,
                                                              ["averaged iterate: slope in T"]),
            "decaying step": decide_slope_below([r["error"] for _, r in dec],
                                                [r["T"].astype(float) for _, r in dec], -1 + TOL_DECAY, 2 * d,
                                                [f"decaying step, {'Markov' if t.spec['markov'] else 'i.i.d.'}: "
                                                 "slope in T" for t, _ in dec]),
            "floor at most proportional": decide_slope_below([flo_y], [flo_x], 1 + TOL_FLOOR, d,
                                                             ["constant step: floor slope in alpha (at most)"]),
            "floor at least proportional": decide_slope_above([flo_y], [flo_x], 1 - TOL_FLOOR, d,
                                                              ["constant step: floor slope in alpha (at least)"]),
        }
        v = combine_verdicts(parts)
        mix = sorted(by_mode.get("mixing", []), key=lambda tr: tr[0].spec["lam"])
        mixing = [{"lam": float(r["lam"]), "t_mix": int(r["t_mix"]), "iid": float(r["iid"].mean()),
                   "markov": float(r["markov"].mean()), "ratio": float(r["markov"].mean() / r["iid"].mean())}
                  for _, r in mix]
        return v.with_evidence(mixing=mixing, curves=[{"label": "averaged, alpha = 1/sqrt(T)", "x": avg_x.tolist(),
                                        "mean": avg_y.mean(0).tolist()}]
                               + [{"label": f"decaying, {'Markov' if t.spec['markov'] else 'i.i.d.'}",
                                   "x": r["T"].tolist(), "mean": r["error"].mean(0).tolist()} for t, r in dec],
                               floor={"alpha": flo_x.tolist(), "mean": flo_y.mean(0).tolist()})

    def evidence_lines(self, evidence):
        rows = "; ".join(f"t_mix {m['t_mix']}: Markov {m['markov']:.3g} / i.i.d. {m['iid']:.3g} = {m['ratio']:.3f}"
                         for m in evidence.get("mixing", []))
        return super().evidence_lines(evidence) + [
            f"constant-step floors on lazy chains (reported, not decided): {rows}"]


CLAIM = TDRates()
