"""Small figure helpers shared by claims."""
from __future__ import annotations

import numpy as np


def mean_band_vs_bound(ax, x, mean, lower, upper, bound=None, label="empirical mean", bound_label="bound",
                       color=None):
    """Empirical mean with its confidence band, against a bound curve."""
    line, = ax.plot(x, mean, label=label, color=color)
    ax.fill_between(x, lower, upper, alpha=0.25, color=line.get_color(), linewidth=0)
    if bound is not None:
        ax.plot(x, bound, "--", color=line.get_color() if color else "black", label=bound_label)
    return line


def finish(ax, title, xlabel, ylabel, logx=True, logy=False, legend=True):
    """Title, axis labels, log scales, a light grid and (when something is labelled) a small legend: the one
    place where the claims' figures get their common look."""
    ax.set_title(title, fontsize=9)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if logx:
        ax.set_xscale("log")
    if logy is True:
        ax.set_yscale("log")
    elif logy:
        ax.set_yscale(logy)          # e.g. "symlog"
    ax.grid(True, which="both", alpha=0.3)
    if legend and ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize=7)


def grid_axes(fig, n: int, ncols: int = 3):
    """n axes in rows of ``ncols``, the figure sized to match."""
    ncols = min(ncols, n)
    nrows = int(np.ceil(n / ncols))
    fig.set_size_inches(4.2 * ncols, 3.3 * nrows)
    return [fig.add_subplot(nrows, ncols, i + 1) for i in range(n)]


def slope_text(slopes: list[dict], label: str) -> str:
    """'slope 0.70 [0.69, 0.71]' for the evidence row with this label ('' when absent)."""
    for s in slopes:
        if s["label"] == label:
            return f"log-log slope {s['slope']:.2f} [{s['lower']:.2f}, {s['upper']:.2f}]"
    return ""
