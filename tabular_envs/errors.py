"""Exceptions raised by tabular_envs. All derive from ValueError so callers may catch either."""


class TabularEnvError(ValueError):
    """Base class of the errors raised by tabular_envs."""


class InvalidMDPError(TabularEnvError):
    """An MDP's arrays or parameters are malformed; the message names the argument and index."""


class InvalidBanditError(TabularEnvError):
    """A bandit instance or simulation request is malformed."""


class InvalidPolicyError(TabularEnvError):
    """A policy does not match the MDP it is applied to."""


class SolverError(TabularEnvError):
    """A numerical solver (a linear program, an iteration with a stopping rule) failed or did not converge; the
    message says which and why."""
