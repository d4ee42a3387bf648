"""The figure of claim D9, drawn from the verdict's evidence."""
import numpy as np

from testbed.plotting import finish

from .claim import instance
from .model import beer_cosine_bound, cosines

# What each symbol of the claim's bound means here (the report prints it under the bound; the same
# letter means different things in different claims)
SYMBOLS = {
    "gamma": "the discount factor",
    "phi_norm": "||phi(s, a)||, the norm of the feature vector",
    "phibar_norm": "||phibar(s, a)||, phibar = E[phi(s', a')] the expected next feature vector",
    "r": "r(s, a), the reward",
    "w_norm": "||w||, the norm of the weights of Q = phi^T w",
}


def draw(evidence, fig):
    ax = fig.add_subplot(1, 1, 1)
    fig.set_size_inches(6.5, 4)
    rng = np.random.default_rng(0)
    xs, ys = [], []
    for _ in range(60):
        mdp, phi, phibar, r, w = instance(rng)
        xs.extend(beer_cosine_bound(phi, phibar, r, w, mdp.gamma).ravel())
        ys.extend(cosines(phi, phibar).ravel())
    xs, ys = np.array(xs), np.array(ys)
    keep = xs < 3
    ax.scatter(xs[keep], ys[keep], s=6, alpha=0.5, label="(s, a) pairs of 60 generated instances")
    lim = np.array([-1, 3])
    ax.plot(lim, lim, "k--", label="cos = bound")
    finish(ax, "", "BEER bound", "cos(phi, phibar)", logx=False, legend=False)
    ax.set_ylim(-1.05, 1.05)
    finish(ax, "Every point lies on or below the diagonal", "", "", logx=False)
