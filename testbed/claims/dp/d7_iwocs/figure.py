"""The figure of claim D7, drawn from the verdict's evidence."""
import numpy as np

from tabular_envs import garnet
from tabular_envs.dp.robust import robust_value_iteration
from testbed.plotting import finish

from .model import iwocs


def draw(evidence, fig):
    ax = fig.add_subplot(1, 1, 1)
    fig.set_size_inches(6.5, 4)
    mdp = garnet(8, 3, 3, gamma=0.9, rng=7)
    beta = 0.6
    hist = iwocs(mdp, beta)
    v_rob = robust_value_iteration(mdp, "l1", beta, epsilon=1e-12).values[0]
    it = np.arange(len(hist))
    ax.plot(it, [h["upper"][0] for h in hist], "v-", label="upper: min_j V*_{T_j}(s0)")
    ax.plot(it, [h["lower"][0] for h in hist], "^-", label="lower: V^{pi_i}_worst(s0)")
    ax.axhline(v_rob, color="black", ls="--", label="V*_rob(s0)")
    finish(ax, "IWOCS sandwich on an 8-state sparse Garnet, L1 ball 0.6", "IWOCS iteration", "value at s0", logx=False)
