"""B16. Learning to relax: SOR and Young's theorem (Khodak et al. 2024 choose the SOR parameter by a bandit).

Young's theorem (consistently ordered A, Jacobi spectral radius beta < 1): omega* = 2 / (1 + sqrt(1 - beta^2));
rho(C_omega) = omega - 1 for omega >= omega*, else (omega beta + sqrt(omega^2 beta^2 - 4 (omega - 1)))^2 / 4. Example:
10 x 10 five-point Laplacian, beta = cos(pi/11), omega* ~ 1.56039. Checked exactly: the spectral radius of the SOR
iteration matrix (eigenvalues, numerically) against the formula on a dense grid of omega, on the catalogue's
Laplacian and other consistently ordered matrices; and the SOR iteration count to relative residual eps against
log(eps) / log(rho) (reported). Tolerance 1e-6: near omega* the extreme eigenvalue is defective (a 2 x 2 Jordan
block), where eigensolvers lose about half the digits.

The bandit part (the catalogue marks its rate unconfirmed, so only sublinearity is tested): omega is chosen from a
grid of 10 values in [1, 1.9] by Tsallis-INF (alpha = 1/2, eta_t = 2/sqrt(t)); round t solves one system of a
pool (the 10 x 10 Laplacian plus s I, s in [0, 2]: the best omega moves from 1.6 to 1.2 with s) and loses its
SOR iteration count divided by the pool's largest count. Two oblivious sequences: systems drawn i.i.d. from the
pool, and the pool in a fixed cycle (a tracking learner cannot follow it, so the best fixed omega is the
benchmark). Test: the log-log slope of the mean regret against
the best fixed omega in hindsight (expected-loss form, p_t . l_t), over the last two decades of t, lies below 3/4
(halfway between the sqrt(T) of adversarial bandits and linear regret); linearised t interval, Bonferroni over
the sequences. Reported: regret / sqrt(K t) at the horizon.
"""
import numpy as np

from proofs_check import slope_threshold, tsallis_inf_order, young_sor_spectral_radius
from tabular_envs import log_checkpoints
from tabular_envs.bandits.adversarial import simulate_tsallis_inf
from testbed.claim import Claim, Source
from testbed.errors import TestbedError
from testbed.stats import combine_verdicts, decide_exact, decide_slope_below

from .model import (
    jacobi_spectral_radius,
    laplacian_1d,
    laplacian_2d,
    shifted_laplacian_iterations,
    sor_iteration_matrix,
    sor_solve,
    spectral_radius,
    young_optimal_omega,
    young_spectral_radius,
)

_MATRICES = {"laplacian_2d_10x10": lambda: laplacian_2d(10), "laplacian_2d_6x6": lambda: laplacian_2d(6),
             "laplacian_1d_n20": lambda: laplacian_1d(20)}
_GRID = {"quick": 60, "standard": 400, "full": 2000}
TOL = 1e-6
OMEGAS = np.linspace(1.0, 1.9, 10)
SHIFTS = np.linspace(0.0, 2.0, 12)
SEQUENCES = ("iid", "cyclic")
_BANDIT = {"quick": (10_000, 100), "standard": (100_000, 200), "full": (1_000_000, 200)}   # (horizon, replications)
# halfway between the sqrt(T) order of Tsallis-INF and linear regret, fixed before any data: 3/4
REGRET_THRESHOLD = float(slope_threshold(tsallis_inf_order()))


def omega_loss_table(sequence: str, T: int, seed: int) -> np.ndarray:
    """losses[t, k] in [0, 1]: the SOR iteration count of omega_k on round t's system over the pool's maximum."""
    pool = shifted_laplacian_iterations(10, SHIFTS, OMEGAS)
    pool /= pool.max()
    if sequence == "iid":
        index = np.random.default_rng(seed).integers(0, SHIFTS.size, T)
    else:
        index = np.arange(T) % SHIFTS.size
    return pool[index]


class SorYoung(Claim):
    id = "B16"
    family = "bandits"
    title = "SOR relaxation: Young's theorem exactly; Tsallis-INF over omega has sublinear regret"
    source = Source("Khodak et al.", 2024, "Learning to relax: setting solver parameters across a sequence of "
                    "linear system instances (code); Young (1954)", "Young's theorem")
    status = "confirmed"
    kind = ("exact", "rate")
    statement = (
        "For consistently ordered A with Jacobi spectral radius beta: omega* = 2/(1 + sqrt(1 - beta^2)); "
        "rho(C_omega) = omega - 1 for omega >= omega*, else (omega beta + sqrt(omega^2 beta^2 - 4(omega - 1)))^2/4. "
        "10 x 10 Laplacian: beta = cos(pi/11), omega* ~ 1.56039. Tsallis-INF over a grid of omega with the "
        "iteration count as loss: regret against the best fixed omega is sublinear [rate unconfirmed; "
        "checked: sublinearity]"
    )

    def bound(self):
        return young_sor_spectral_radius()

    def tasks(self, fidelity, root_seed):
        T, reps = _BANDIT[fidelity]
        young = [self.make_task(name, {"matrix": name, "grid": _GRID[fidelity]}, fidelity, root_seed, stream=name)
                 for name in _MATRICES]
        bandit = [self.make_task(f"tsallis_inf/{seq}", {"sequence": seq, "T": T, "reps": reps}, fidelity, root_seed,
                                 stream=f"tsallis_inf/{seq}") for seq in SEQUENCES]
        return young + bandit

    def run_task(self, task):
        if "sequence" in task.spec:
            s = task.spec
            losses = omega_loss_table(s["sequence"], s["T"], task.seed)
            res = simulate_tsallis_inf(1.0 - losses, s["reps"], task.seed, checkpoints=log_checkpoints(s["T"]))
            return {"regret": res.regret, "checkpoints": res.checkpoints,
                    "best_omega": np.array(OMEGAS[np.argmin(losses.sum(axis=0))])}
        A = _MATRICES[task.spec["matrix"]]()
        beta = jacobi_spectral_radius(A)
        star = young_optimal_omega(beta)
        omegas = np.union1d(np.linspace(0.05, 1.95, task.spec["grid"]), [star])
        numeric = np.array([spectral_radius(sor_iteration_matrix(A, w)) for w in omegas])
        b = np.ones(A.shape[0])
        probe = np.array([0.8, 1.0, 1.3, star, 1.8])
        iterations = np.array([sor_solve(A, b, w, tol=1e-6)[1] for w in probe])
        return {"beta": np.array(beta), "omega_star": np.array(star), "omegas": omegas, "numeric": numeric,
                "formula": young_spectral_radius(omegas, beta), "probe": probe, "iterations": iterations,
                "predicted_iterations": np.log(1e-6) / np.log(young_spectral_radius(probe, beta))}

    def decide(self, tasks, results):
        bandit = [(t, r) for t, r in zip(tasks, results, strict=True) if "sequence" in t.spec]
        young = self._decide_young([t for t in tasks if "matrix" in t.spec],
                                   [r for t, r in zip(tasks, results, strict=True) if "matrix" in t.spec])
        if not bandit:
            return young
        samples, xs, labels, curves = [], [], [], []
        for t, r in bandit:
            ck = r["checkpoints"]
            window = ck >= ck[-1] / 100
            samples.append(r["regret"][:, window])
            xs.append(ck[window].astype(float))
            labels.append(f"Tsallis-INF/{t.spec['sequence']}")
            curves.append({"sequence": t.spec["sequence"], "t": ck.tolist(), "mean": r["regret"].mean(axis=0).tolist(),
                           "best_omega": float(r["best_omega"]),
                           "ratio_sqrt_Kt": float(r["regret"][:, -1].mean() / np.sqrt(OMEGAS.size * ck[-1]))})
        for x, lab in zip(samples, labels, strict=True):
            if (x.mean(axis=0) <= 0).any():
                raise TestbedError(f"B16: the mean regret of {lab} is not positive over the fitted window; a log-log "
                                   "slope does not apply (choose a sequence with a fixed best omega)")
        rate = decide_slope_below(samples, xs, REGRET_THRESHOLD, self.delta / 2, labels)
        return combine_verdicts(
            {
                "Young's theorem (exact)": young,
                "Tsallis-INF regret rate": rate.replace(evidence={"slopes": rate.evidence["slopes"]}),
            },
            evidence={
                "tsallis_curves": curves,
                "slope_name": {"slopes": "log-log slope of the regret over the last two decades"},
            },
        )

    def _decide_young(self, tasks, results):
        errors = {"max |rho numeric - Young| over omega and matrices": max(
            float(np.max(np.abs(r["numeric"] - r["formula"]))) for r in results)}
        catalogue = [r for t, r in zip(tasks, results, strict=True) if t.spec["matrix"] == "laplacian_2d_10x10"]
        if catalogue:
            errors["|omega* - 1.56039| (catalogue, 5 digits)"] = abs(float(catalogue[0]["omega_star"]) - 1.56039)
            errors["|beta - cos(pi/11)| (10 x 10 Laplacian)"] = abs(float(catalogue[0]["beta"]) - np.cos(np.pi / 11))
        tolerances = {k: (5e-6 if "5 digits" in k else TOL) for k in errors}
        v = decide_exact(errors, tolerances)
        v = v.with_evidence(
            matrices=[
                {
                    "name": t.spec["matrix"],
                    "beta": float(r["beta"]),
                    "omega_star": float(r["omega_star"]),
                    "omegas": r["omegas"].tolist(),
                    "numeric": r["numeric"].tolist(),
                    "formula": r["formula"].tolist(),
                    "probe": r["probe"].tolist(),
                    "iterations": r["iterations"].tolist(),
                    "predicted_iterations": r["predicted_iterations"].tolist(),
                }
                for t, r in zip(tasks, results, strict=True)
            ]
        )
        v = v.replace(n_samples=sum(len(r["omegas"]) for r in results))
        return v

    def evidence_lines(self, evidence):
        lines = super().evidence_lines(evidence)
        for c in evidence.get("tsallis_curves", []):
            lines.append(
                f"Tsallis-INF on the {c['sequence']} sequence: regret at t = {c['t'][-1]} is "
                f"{c['mean'][-1]:.1f} = {c['ratio_sqrt_Kt']:.3f} sqrt(K t); best fixed omega {c['best_omega']:.2f}"
            )
        for m in evidence["matrices"]:
            its = ", ".join(f"omega {w:.4g}: {i} (log eps / log rho = {p:.0f})"
                            for w, i, p in zip(m["probe"], m["iterations"], m["predicted_iterations"], strict=True))
            lines.append(f"{m['name']}: beta = {m['beta']:.10f}, omega* = {m['omega_star']:.6f}; SOR iterations to "
                         f"relative residual 1e-6: {its}")
        return lines



CLAIM = SorYoung()
