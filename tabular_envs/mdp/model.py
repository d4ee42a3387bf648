"""The validated, immutable tabular MDP.

A ``TabularMDP`` is either discounted (``gamma`` in [0, 1), stationary ``P[S, A, S']`` and ``r[S, A]``) or
finite-horizon (``horizon`` H >= 1, ``P`` and ``r`` either stationary or time-indexed ``P[H, S, A, S']``,
``r[H, S, A]``). Every array is checked at construction; errors name the offending argument and index.
"""
from __future__ import annotations

import numpy as np

from ..errors import InvalidMDPError

__all__ = ["TabularMDP", "row_sum_tolerance"]


def row_sum_tolerance(n_states: int) -> float:
    """Tolerance on |sum_s' P[s, a, s'] - 1|.

    Summing n float64 numbers in [0, 1] accumulates at most about n * eps of rounding error, so the tolerance
    grows with the number of next states instead of being a fixed constant that large generated MDPs fail.
    """
    return 64.0 * max(int(n_states), 1) * np.finfo(np.float64).eps


def _first_index(mask: np.ndarray) -> tuple[int, ...]:
    return tuple(int(i) for i in np.argwhere(mask)[0])


def _as_float_array(name: str, value) -> np.ndarray:
    try:
        arr = np.array(value, dtype=np.float64, copy=True)
    except (TypeError, ValueError) as exc:
        raise InvalidMDPError(f"{name} must be an array of real numbers ({exc})") from None
    bad = ~np.isfinite(arr)
    if bad.any():
        idx = _first_index(bad)
        raise InvalidMDPError(f"{name}{list(idx)} is {float(arr[idx])!r}; every entry must be finite")
    return arr


def _check_transitions(name: str, P: np.ndarray, tol: float) -> None:
    negative = P < 0
    if negative.any():
        idx = _first_index(negative)
        raise InvalidMDPError(f"{name}{list(idx)} = {float(P[idx])!r} is negative; probabilities must be >= 0")
    sums = P.sum(axis=-1)
    off = np.abs(sums - 1.0) > tol
    if off.any():
        idx = _first_index(off)
        raise InvalidMDPError(
            f"{name}[{', '.join(map(str, idx))}, :] sums to {float(sums[idx])!r}; each row must sum to 1 within "
            f"{tol:.3g}"
        )


class TabularMDP:
    """A finite MDP with dense transition and reward arrays.

    Parameters
    ----------
    P : array (S, A, S) or, finite-horizon only, (H, S, A, S)
        ``P[s, a, s']`` probability of moving to ``s'``.
    r : array (S, A) or, finite-horizon only, (H, S, A)
        Expected reward of taking ``a`` in ``s``.
    gamma : float in [0, 1), discounted MDPs only.
    horizon : int >= 1, finite-horizon MDPs only (``gamma`` must then be omitted; the horizon MDP is undiscounted).
    initial : array (S,), start distribution; defaults to the point mass on state 0.
    atol : tolerance on row sums; defaults to :func:`row_sum_tolerance` (64 * S * eps).
    """

    __slots__ = ("_P", "_r", "_gamma", "_horizon", "_initial", "name")

    def __init__(self, P, r, *, gamma: float | None = None, horizon: int | None = None, initial=None,
                 atol: float | None = None, name: str = ""):
        if (gamma is None) == (horizon is None):
            raise InvalidMDPError("give exactly one of gamma (discounted MDP) or horizon (finite-horizon MDP)")
        if gamma is not None:
            try:
                g = float(gamma)
            except (TypeError, ValueError):
                raise InvalidMDPError(f"gamma must be a real number in [0, 1), got {gamma!r}") from None
            if not (0.0 <= g < 1.0):
                raise InvalidMDPError(f"gamma must lie in [0, 1), got {gamma!r}")
            self._gamma, self._horizon = g, None
        else:
            if isinstance(horizon, bool) or not isinstance(horizon, (int, np.integer)):
                raise InvalidMDPError(f"horizon must be a positive integer, got {horizon!r}")
            if horizon <= 0:
                raise InvalidMDPError(f"horizon must be a positive integer, got {horizon!r}")
            self._gamma, self._horizon = None, int(horizon)

        P = _as_float_array("P", P)
        r = _as_float_array("r", r)
        timed = self._horizon is not None
        if P.ndim == 4 and timed:
            if P.shape[0] != self._horizon:
                raise InvalidMDPError(f"P has {P.shape[0]} time steps but horizon is {self._horizon}")
        elif P.ndim != 3:
            allowed = "(S, A, S) or (H, S, A, S)" if timed else "(S, A, S)"
            raise InvalidMDPError(f"P must have shape {allowed}, got {P.shape}")
        S, A = P.shape[-3], P.shape[-2]
        if S == 0 or A == 0:
            raise InvalidMDPError(f"P must have at least one state and one action, got shape {P.shape}")
        if P.shape[-1] != S:
            raise InvalidMDPError(f"P's last axis has {P.shape[-1]} next states but there are {S} states")
        if r.ndim == 3 and timed:
            if r.shape != (self._horizon, S, A):
                raise InvalidMDPError(f"r must have shape {(self._horizon, S, A)}, got {r.shape}")
        elif r.shape != (S, A):
            raise InvalidMDPError(f"r must have shape {(S, A)} to match P {P.shape}, got {r.shape}")
        tol = row_sum_tolerance(S) if atol is None else float(atol)
        _check_transitions("P", P, tol)

        if initial is None:
            mu0 = np.zeros(S)
            mu0[0] = 1.0
        else:
            mu0 = _as_float_array("initial", initial)
            if mu0.shape != (S,):
                raise InvalidMDPError(f"initial must have shape {(S,)}, got {mu0.shape}")
            _check_transitions("initial", mu0[None, :], tol)

        for arr in (P, r, mu0):
            arr.setflags(write=False)
        self._P, self._r, self._initial = P, r, mu0
        self.name = name

    # --- read-only views -------------------------------------------------------------------------------------
    @property
    def P(self) -> np.ndarray:
        return self._P

    @property
    def r(self) -> np.ndarray:
        return self._r

    @property
    def gamma(self) -> float | None:
        return self._gamma

    @property
    def horizon(self) -> int | None:
        return self._horizon

    @property
    def initial(self) -> np.ndarray:
        return self._initial

    @property
    def n_states(self) -> int:
        return self._P.shape[-3]

    @property
    def n_actions(self) -> int:
        return self._P.shape[-2]

    @property
    def is_finite_horizon(self) -> bool:
        return self._horizon is not None

    def P_at(self, t: int) -> np.ndarray:
        """Transitions used at time step ``t`` (the stationary array when P is not time-indexed)."""
        return self._P[t] if self._P.ndim == 4 else self._P

    def r_at(self, t: int) -> np.ndarray:
        return self._r[t] if self._r.ndim == 3 else self._r

    def __repr__(self) -> str:
        kind = f"gamma={self._gamma}" if self._horizon is None else f"horizon={self._horizon}"
        label = f" {self.name!r}" if self.name else ""
        return f"<TabularMDP{label} S={self.n_states} A={self.n_actions} {kind}>"
