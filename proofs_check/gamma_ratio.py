"""ln Gamma(z + a) - ln Gamma(z + b) for closed forms that divide two Gamma functions of a large argument.

Written as two log-gammas, the difference cancels numbers of size z ln z: at z = 8.6e9 (S3's largest horizon) the
float value of Gamma(T + gamma) / Gamma(T + 1) is off by 1e-5 relatively, and at t = 2e6 (S5's sum) Jin et al.'s
weight by 2e-9 (both found by tests/test_bounds.py against 30-digit evaluations). For large z the function below uses
the asymptotic series of the difference instead (DLMF 5.11.8, subtracted for h = a and h = b):

    ln Gamma(z + a) - ln Gamma(z + b) ~ (a - b) ln z + sum_{k>=2} (-1)^k (B_k(a) - B_k(b)) / (k (k - 1) z^(k - 1)),

B_k the Bernoulli polynomials. Its terms shrink like (max(|a|, |b|) / z)^k / k^2, so with terms up to k = SERIES_TERMS
and z > SWITCH (|a| + |b| + 1) the series is exact to rounding; below the switch the two log-gammas are at most a few
thousand times (|a| + |b| + 1) in size and their difference loses no more than about 1e-12.
"""
from __future__ import annotations

import numpy as np
import sympy as sp

__all__ = ["log_gamma_ratio", "SWITCH", "SERIES_TERMS"]

SWITCH, SERIES_TERMS = 100.0, 10
_x = sp.Symbol("x")
# coefficients (highest power first) of B_k(x), k = 2..SERIES_TERMS
_BERNOULLI = [np.array(sp.Poly(sp.bernoulli(k, _x), _x).all_coeffs(), dtype=np.float64)
              for k in range(2, SERIES_TERMS + 1)]


def _numeric(z, a, b):
    """The NumPy evaluation (broadcast over arrays): the series above the switch, two log-gammas below it. The
    series' coefficients are computed on a and b as given (usually scalars, where z is a long array) and summed by
    Horner's rule in 1/z."""
    from scipy.special import gammaln
    z, a, b = (np.asarray(v, dtype=np.float64) for v in (z, a, b))
    coefficients = [(-1.0) ** k * (np.polyval(c, a) - np.polyval(c, b)) / (k * (k - 1))
                    for k, c in enumerate(_BERNOULLI, start=2)]
    z, a, b = np.broadcast_arrays(z, a, b)
    large = z > SWITCH * (np.abs(a) + np.abs(b) + 1.0)
    out = np.empty(z.shape)
    with np.errstate(all="ignore"):
        small = ~large
        out[small] = gammaln(z[small] + a[small]) - gammaln(z[small] + b[small])
        zl = z[large]
        w = 1.0 / zl
        on_large = [c if np.ndim(c) == 0 else np.broadcast_to(c, z.shape)[large] for c in coefficients]
        tail = on_large[-1]
        for c in reversed(on_large[:-1]):
            tail = c + w * tail
        out[large] = (a[large] - b[large]) * np.log(zl) + w * tail
    return out if out.ndim else float(out)


class log_gamma_ratio(sp.Function):  # noqa: N801 (a SymPy function reads like one)
    """ln Gamma(z + a) - ln Gamma(z + b): symbolic (printed as the two log-gammas, evaluated by SymPy to any
    precision as their difference) and compiled by ``lambdify`` to a form without cancellation (module docstring)."""
    nargs = 3

    @classmethod
    def eval(cls, z, a, b):
        if a == b:
            return sp.S.Zero
        return None

    def _eval_evalf(self, prec):
        z, a, b = self.args
        return (sp.loggamma(z + a) - sp.loggamma(z + b))._eval_evalf(prec)

    def _eval_rewrite_as_loggamma(self, z, a, b, **kwargs):
        return sp.loggamma(z + a) - sp.loggamma(z + b)

    def _latex(self, printer, exp=None):
        z, a, b = self.args
        text = (rf"\left(\log{{\Gamma\left({printer._print(z + a)}\right)}} - "
                rf"\log{{\Gamma\left({printer._print(z + b)}\right)}}\right)")
        return text if exp is None else rf"{text}^{{{exp}}}"

    _imp_ = staticmethod(_numeric)
