"""Stochastic bandit instances (Bernoulli and Gaussian arms)."""
from __future__ import annotations

import numpy as np

from ..errors import InvalidBanditError

__all__ = ["BanditInstance", "bernoulli_bandit", "gaussian_bandit", "FAMILIES"]

FAMILIES = ("bernoulli", "gaussian")


class BanditInstance:
    """K arms with means ``means`` from one family: ``bernoulli`` (means in [0, 1]) or ``gaussian``
    (any finite means, common standard deviation ``sigma`` > 0). Immutable."""

    __slots__ = ("_means", "family", "sigma", "name")

    def __init__(self, means, family: str = "bernoulli", sigma: float = 1.0, name: str = ""):
        if family not in FAMILIES:
            raise InvalidBanditError(f"family must be one of {FAMILIES}, got {family!r}")
        try:
            mu = np.array(means, dtype=np.float64, copy=True)
        except (TypeError, ValueError) as exc:
            raise InvalidBanditError(f"means must be real numbers ({exc})") from None
        if mu.ndim != 1 or mu.size == 0:
            raise InvalidBanditError(f"means must be a non-empty 1-D array, got shape {mu.shape}")
        bad = ~np.isfinite(mu)
        if bad.any():
            i = int(np.argmax(bad))
            raise InvalidBanditError(f"means[{i}] = {float(mu[i])!r} is not finite")
        if family == "bernoulli":
            out = (mu < 0) | (mu > 1)
            if out.any():
                i = int(np.argmax(out))
                raise InvalidBanditError(f"means[{i}] = {float(mu[i])!r} lies outside [0, 1], the support of a "
                                         f"Bernoulli arm")
            sigma = 0.5  # rewards in [0, 1] are 1/2-subgaussian
        else:
            sigma = float(sigma)
            if not (np.isfinite(sigma) and sigma > 0):
                raise InvalidBanditError(f"sigma must be a positive number, got {sigma!r}")
        mu.setflags(write=False)
        self._means, self.family, self.sigma, self.name = mu, family, float(sigma), name

    @property
    def means(self) -> np.ndarray:
        return self._means

    @property
    def n_arms(self) -> int:
        return self._means.size

    @property
    def best_mean(self) -> float:
        return float(self._means.max())

    @property
    def gaps(self) -> np.ndarray:
        return self.best_mean - self._means

    @property
    def rewards_bounded(self) -> bool:
        return self.family == "bernoulli"

    def to_dict(self) -> dict:
        return {"means": self._means.tolist(), "family": self.family, "sigma": self.sigma, "name": self.name}

    @classmethod
    def from_dict(cls, d: dict) -> "BanditInstance":
        return cls(d["means"], d["family"], d.get("sigma", 1.0), d.get("name", ""))

    def __repr__(self) -> str:
        return f"<BanditInstance {self.family} K={self.n_arms} means={np.round(self._means, 4).tolist()}>"


def bernoulli_bandit(means, name: str = "") -> BanditInstance:
    """K Bernoulli arms with the given means in [0, 1]."""
    return BanditInstance(means, "bernoulli", name=name)


def gaussian_bandit(means, sigma: float = 1.0, name: str = "") -> BanditInstance:
    """K Gaussian arms with the given means and a common standard deviation ``sigma`` > 0."""
    return BanditInstance(means, "gaussian", sigma, name=name)
