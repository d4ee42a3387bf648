"""Regret bounds for full-information experts and adversarial bandits, transcribed with their constants."""
import sympy as sp

from .bound import Bound
from .symbols import K, T

__all__ = ["hedge_slivkins_thm5_16_bound", "hedge_slivkins_epsilon", "exp3_auer2002_cor3_2_bound",
           "exp3_auer2002_cor3_2_numeric_bound", "exp3_auer2002_gamma", "exp3_lattimore_thm11_2_bound",
           "exp3_lattimore_eta"]

g = sp.Symbol("g", positive=True)  # an upper bound on G_max, the best arm's total reward


def hedge_slivkins_thm5_16_bound() -> Bound:
    """Slivkins (2019), Introduction to Multi-Armed Bandits, Theorem 5.16: costs in [0, 1], K experts,
    epsilon = sqrt(ln K / (3T)): E[cost(Hedge)] - min_a cost(a) < 2 sqrt(3) sqrt(T ln K)."""
    return Bound(name="hedge_slivkins_thm5_16_bound", expr=2 * sp.sqrt(3) * sp.sqrt(T * sp.log(K)),
                 direction="upper", quantity="E[cost(Hedge)] - min_a cost(a)",
                 source="Slivkins (2019), Introduction to Multi-Armed Bandits", theorem="Theorem 5.16",
                 conditions=("costs in [0, 1]", "epsilon = sqrt(ln K / (3T))",
                             "weights w_{t+1}(a) = w_t(a) (1 - epsilon)^{c_t(a)} [update form unconfirmed]"),
                 finite_time=True)


def hedge_slivkins_epsilon(K_value: int, T_value: int) -> float:
    return float(sp.sqrt(sp.log(K_value) / (3 * T_value)))


def exp3_auer2002_cor3_2_bound() -> Bound:
    """Auer, Cesa-Bianchi, Freund, Schapire (2002), Corollary 3.2: for g >= G_max and
    gamma = min{1, sqrt(K ln K / ((e - 1) g))}: G_max - E[G_Exp3] <= 2 sqrt(e - 1) sqrt(g K ln K)."""
    return Bound(name="exp3_auer2002_cor3_2_bound", expr=2 * sp.sqrt(sp.E - 1) * sp.sqrt(g * K * sp.log(K)),
                 direction="upper", quantity="G_max - E[G_Exp3]",
                 source="Auer, Cesa-Bianchi, Freund, Schapire (2002), The nonstochastic multiarmed bandit problem",
                 theorem="Corollary 3.2", conditions=("rewards in [0, 1]", "g >= G_max",
                                                      "gamma = min{1, sqrt(K ln K / ((e - 1) g))}"),
                 finite_time=True)


def exp3_auer2002_cor3_2_numeric_bound() -> Bound:
    """The same corollary's rounded form: <= 2.63 sqrt(g K ln K) (2 sqrt(e - 1) = 2.6217...)."""
    b = exp3_auer2002_cor3_2_bound()
    return Bound(name="exp3_auer2002_cor3_2_numeric_bound", expr=sp.Rational(263, 100) * sp.sqrt(g * K * sp.log(K)),
                 direction="upper", quantity=b.quantity, source=b.source, theorem="Corollary 3.2 (rounded form)",
                 conditions=b.conditions, finite_time=True)


def exp3_auer2002_gamma(K_value: int, g_value: float) -> float:
    return float(min(1.0, sp.sqrt(K_value * sp.log(K_value) / ((sp.E - 1) * g_value))))


def exp3_lattimore_thm11_2_bound() -> Bound:
    """Lattimore & Szepesvari (2020), Theorem 11.2: Exp3 with eta = sqrt(2 log K / (T K)) has
    R_T <= sqrt(2 T K log K) for rewards in [0, 1] (oblivious adversary)."""
    return Bound(name="exp3_lattimore_thm11_2_bound", expr=sp.sqrt(2 * T * K * sp.log(K)), direction="upper",
                 quantity="max_a G_a - E[G_Exp3]", source="Lattimore & Szepesvari (2020), Bandit Algorithms",
                 theorem="Theorem 11.2", conditions=("rewards in [0, 1]", "eta = sqrt(2 log K / (T K))",
                                                     "loss-based estimator 1 - 1{A = i}(1 - X)/P_i"),
                 finite_time=True)


def exp3_lattimore_eta(K_value: int, T_value: int) -> float:
    return float(sp.sqrt(2 * sp.log(K_value) / (T_value * K_value)))
