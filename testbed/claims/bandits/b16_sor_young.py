"""B16. Learning to relax: SOR and Young's theorem (Khodak et al. 2024 choose the SOR parameter by a bandit).

Young's theorem (consistently ordered A, Jacobi spectral radius beta < 1): omega* = 2 / (1 + sqrt(1 - beta^2));
rho(C_omega) = omega - 1 for omega >= omega*, else (omega beta + sqrt(omega^2 beta^2 - 4 (omega - 1)))^2 / 4. Example:
10 x 10 five-point Laplacian, beta = cos(pi/11), omega* ~ 1.56039. Checked exactly: the spectral radius of the SOR
iteration matrix (eigenvalues, numerically) against the formula on a dense grid of omega, on the catalogue's
Laplacian and other consistently ordered matrices; and the SOR iteration count to relative residual eps against
log(eps) / log(rho) (reported). Tolerance 1e-6: near omega* the extreme eigenvalue is defective (a 2 x 2 Jordan
block), where eigensolvers lose about half the digits.
NOT YET CHECKED: the Tsallis-INF regret against the best fixed omega (the catalogue marks that rate unconfirmed).
"""
import numpy as np

from tabular_envs.sor import (jacobi_spectral_radius, laplacian_1d, laplacian_2d, sor_iteration_matrix, sor_solve,
                              spectral_radius, young_optimal_omega, young_spectral_radius)

from ...claim import Claim, Source
from ...plotting import finish
from ...stats import decide_exact

_MATRICES = {"laplacian_2d_10x10": lambda: laplacian_2d(10), "laplacian_2d_6x6": lambda: laplacian_2d(6),
             "laplacian_1d_n20": lambda: laplacian_1d(20)}
_GRID = {"quick": 60, "standard": 400, "full": 2000}
TOL = 1e-6


class SorYoung(Claim):
    id = "B16"
    family = "bandits"
    title = "SOR relaxation: Young's theorem for the spectral radius and the optimal omega (bandit part not yet)"
    source = Source("Khodak et al.", 2024, "Learning to relax: setting solver parameters across a sequence of "
                    "linear system instances (code); Young (1954)", "Young's theorem")
    status = "confirmed"
    kind = "exact"
    statement = ("For consistently ordered A with Jacobi spectral radius beta: omega* = 2/(1 + sqrt(1 - beta^2)); "
                 "rho(C_omega) = omega - 1 for omega >= omega*, else (omega beta + sqrt(omega^2 beta^2 - 4(omega - 1)))^2/4. "
                 "10 x 10 Laplacian: beta = cos(pi/11), omega* ~ 1.56039. [The Tsallis-INF regret part is unconfirmed and "
                 "not checked yet.]")

    def tasks(self, fidelity, root_seed):
        return [self.make_task(name, {"matrix": name, "grid": _GRID[fidelity]}, fidelity, root_seed, stream=name)
                for name in _MATRICES]

    def run_task(self, task):
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
        errors = {"max |rho numeric - Young| over omega and matrices": max(
            float(np.max(np.abs(r["numeric"] - r["formula"]))) for r in results)}
        catalogue = [r for t, r in zip(tasks, results) if t.spec["matrix"] == "laplacian_2d_10x10"]
        if catalogue:
            errors["|omega* - 1.56039| (catalogue, 5 digits)"] = abs(float(catalogue[0]["omega_star"]) - 1.56039)
            errors["|beta - cos(pi/11)| (10 x 10 Laplacian)"] = abs(float(catalogue[0]["beta"]) - np.cos(np.pi / 11))
        tolerances = {k: (5e-6 if "5 digits" in k else TOL) for k in errors}
        v = decide_exact(errors, tolerances)
        v.evidence["matrices"] = [{"name": t.spec["matrix"], "beta": float(r["beta"]), "omega_star": float(r["omega_star"]),
                                   "omegas": r["omegas"].tolist(), "numeric": r["numeric"].tolist(),
                                   "formula": r["formula"].tolist(), "probe": r["probe"].tolist(),
                                   "iterations": r["iterations"].tolist(),
                                   "predicted_iterations": r["predicted_iterations"].tolist()}
                                  for t, r in zip(tasks, results)]
        v.n_samples = sum(len(r["omegas"]) for r in results)
        return v

    def evidence_lines(self, evidence):
        lines = super().evidence_lines(evidence)
        for m in evidence["matrices"]:
            its = ", ".join(f"omega {w:.4g}: {i} (log eps / log rho = {p:.0f})"
                            for w, i, p in zip(m["probe"], m["iterations"], m["predicted_iterations"]))
            lines.append(f"{m['name']}: beta = {m['beta']:.10f}, omega* = {m['omega_star']:.6f}; SOR iterations to "
                         f"relative residual 1e-6: {its}")
        return lines

    def plot(self, evidence, fig):
        ax = fig.add_subplot(1, 1, 1)
        fig.set_size_inches(6.5, 4.2)
        for m in evidence["matrices"]:
            line, = ax.plot(m["omegas"], m["numeric"], label=f"{m['name']} (eigenvalues)")
            ax.plot(m["omegas"], m["formula"], "--", color="black", lw=0.8)
            ax.axvline(m["omega_star"], color=line.get_color(), ls=":", lw=0.8)
        ax.plot([], [], "--", color="black", lw=0.8, label="Young's formula")
        finish(ax, "rho(C_omega): eigenvalues vs Young's theorem (dotted: omega*)", "omega", "spectral radius",
               logx=False)


CLAIM = SorYoung()
