"""The figure of claim P2: the log error of NPG against t with both bounds."""
import numpy as np

from testbed.plotting import finish

SYMBOLS = {"t": "the iteration", "eta": "the step size", "tau": "the entropy temperature",
           "C_1": "||Q*_tau - Q^(0)|| + 2 tau (1 - eta tau/(1-gamma)) ||log pi*_tau - log pi^(0)||",
           "gamma": "the discount factor"}


def draw(evidence, fig):
    fig.set_size_inches(10, 4)
    ax1, ax2 = fig.add_subplot(1, 2, 1), fig.add_subplot(1, 2, 2)
    g, A = evidence["gamma"], evidence["A"]
    for c in evidence["npg_curves"]:
        t = np.arange(1, len(c["gap"]) + 1)
        line, = ax1.plot(t, np.maximum(c["gap"], 1e-17), label=f"NPG eta = {c['eta']:g}")
        ax1.plot(t, np.log(A) / (c["eta"] * t) + 1 / ((1 - g) ** 2 * t), "--", color=line.get_color(),
                 label=f"bound, eta = {c['eta']:g}")
    finish(ax1, "Unregularised NPG: V* - V^(t)", "iteration t", "gap", logx=True, logy=True)
    for c in evidence["entropy_curves"]:
        t = np.arange(len(c["error"]))
        line, = ax2.plot(t, c["error"], label=f"eta tau = {c['eta_tau']:g}")
        ax2.plot(t, c["c1"] * g * (1 - c["eta_tau"]) ** t, "--", color=line.get_color(),
                 label=f"C_1 gamma (1 - eta tau)^t, eta tau = {c['eta_tau']:g}")
    finish(ax2, "Entropy-regularised NPG: ||Q*_tau - Q^(t+1)||", "iteration t", "error", logx=False, logy=True)
