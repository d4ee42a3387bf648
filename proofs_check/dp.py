"""Value-iteration guarantees (Puterman 1994; Bertsekas 2012)."""

from .bound import Bound
from .symbols import epsilon, gamma, initial_error, k, residual

__all__ = ["vi_contraction_bound", "vi_stopping_threshold", "vi_value_error_bound", "vi_policy_error_bound"]

_SOURCE = "Puterman (1994), Markov Decision Processes"


def vi_contraction_bound() -> Bound:
    """Puterman (1994), Theorem 6.2.3: T is a gamma-contraction in sup norm, so
    ||V_k - V*|| <= gamma^k ||V_0 - V*||."""
    return Bound(name="vi_contraction_bound", expr=gamma ** k * initial_error, direction="upper",
                 quantity="||V_k - V*||_inf", source=_SOURCE, theorem="Theorem 6.2.3 (Banach fixed point)",
                 conditions=("0 <= gamma < 1", "bounded rewards"), finite_time=True)


def vi_stopping_threshold() -> Bound:
    """Puterman (1994), Theorem 6.3.1: stop when ||V_{k+1} - V_k|| < eps (1 - gamma) / (2 gamma); then the greedy
    policy is eps-optimal and ||V_{k+1} - V*|| < eps / 2."""
    return Bound(name="vi_stopping_threshold", expr=epsilon * (1 - gamma) / (2 * gamma), direction="exact",
                 quantity="sup-norm stopping threshold on ||V_{k+1} - V_k||", source=_SOURCE, theorem="Theorem 6.3.1",
                 conditions=("0 < gamma < 1",), finite_time=True)


def vi_value_error_bound() -> Bound:
    """||V_{k+1} - V*|| <= gamma / (1 - gamma) ||V_{k+1} - V_k|| (Puterman 1994, proof of Theorem 6.3.1)."""
    return Bound(name="vi_value_error_bound", expr=gamma / (1 - gamma) * residual, direction="upper",
                 quantity="||V_{k+1} - V*||_inf", source=_SOURCE, theorem="Theorem 6.3.1 (proof)",
                 conditions=("0 <= gamma < 1",), finite_time=True)


def vi_policy_error_bound() -> Bound:
    """||V^pi - V*|| <= 2 gamma / (1 - gamma) ||V_{k+1} - V_k|| for pi greedy w.r.t. V_{k+1}
    (Puterman 1994, Theorem 6.3.1; Williams & Baird 1993)."""
    return Bound(name="vi_policy_error_bound", expr=2 * gamma / (1 - gamma) * residual, direction="upper",
                 quantity="||V^pi - V*||_inf", source=_SOURCE, theorem="Theorem 6.3.1",
                 conditions=("0 <= gamma < 1", "pi greedy w.r.t. V_{k+1}"), finite_time=True)
