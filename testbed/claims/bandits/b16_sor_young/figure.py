"""The figure of claim B16, drawn from the verdict's evidence."""
import numpy as np

from testbed.plotting import finish, legend_name, slope_text

from .claim import OMEGAS

# What each symbol of the claim's bound means here (the report prints it under the bound; the same
# letter means different things in different claims)
SYMBOLS = {
    "beta": "the spectral radius of the Jacobi iteration matrix of A",
    "omega": "the SOR relaxation parameter, 0 < omega < 2",
}


def draw(evidence, fig):
    curves = evidence.get("tsallis_curves", [])
    ax = fig.add_subplot(1, 2 if curves else 1, 1)
    fig.set_size_inches(12 if curves else 6.5, 4.2)
    for m in evidence["matrices"]:
        line, = ax.plot(m["omegas"], m["numeric"], label=f"{m['name']} (eigenvalues)")
        ax.plot(m["omegas"], m["formula"], "--", color="black", lw=0.8)
        ax.axvline(m["omega_star"], color=line.get_color(), ls=":", lw=0.8)
    ax.plot([], [], "--", color="black", lw=0.8, label="Young's formula")
    finish(ax, "rho(C_omega): eigenvalues vs Young's theorem (dotted: omega*)", "omega", "spectral radius",
           logx=False)
    if curves:
        ax = fig.add_subplot(1, 2, 2)
        for c in curves:
            fitted = slope_text(evidence["slopes"], f"Tsallis-INF/{c['sequence']}")
            ax.plot(c["t"], c["mean"], "o-", ms=3, label=f"{legend_name(c['sequence'])} systems: {fitted}")
        t = np.array(curves[0]["t"], dtype=float)
        ax.plot(t, np.sqrt(OMEGAS.size * t), "k--", label="sqrt(K t)")
        finish(ax, "Tsallis-INF over omega: regret vs best fixed omega (claimed sublinear; slope < 3/4)", "t",
               "E[regret]", logy=True)
