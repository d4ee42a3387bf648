"""Choose a fork-safe Numba threading layer before any parallel kernel runs.

``testbed check`` runs each property in a forked child (so that a hung or crashing user object can be stopped),
and Numba's GNU OpenMP layer terminates a forked child that launches a parallel region once the parent has used
OpenMP ("fork() called from a process already using GNU OpenMP"). Numba's ``forksafe`` request picks TBB when it
is installed and its own ``workqueue`` otherwise. ``workqueue`` is not thread-safe, which is why every executor of
the testbed runs one task per process. A layer the user chose (``NUMBA_THREADING_LAYER``) is left alone.
"""
from __future__ import annotations

import os


def prefer_fork_safe_threading_layer() -> str:
    """Ask Numba for a fork-safe layer unless the user set one; returns the request in force."""
    import numba

    if "NUMBA_THREADING_LAYER" not in os.environ and numba.config.THREADING_LAYER == "default":
        numba.config.THREADING_LAYER = "forksafe"
    return numba.config.THREADING_LAYER
