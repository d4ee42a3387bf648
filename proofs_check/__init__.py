"""proofs_check: what theory says. Bounds as SymPy expressions with their sources, numeric evaluation,
symbolic rate extraction and checks of proof steps. Depends on nothing else in the project."""
from .adversarial_bounds import (exp3_auer2002_cor3_2_bound, exp3_auer2002_cor3_2_numeric_bound,
                                 exp3_auer2002_gamma, exp3_lattimore_eta, exp3_lattimore_thm11_2_bound,
                                 hedge_slivkins_epsilon, hedge_slivkins_thm5_16_bound)
from .bandit_bounds import (bernoulli_kl, dynamical_steady_state_gain, lai_robbins_bound, lai_robbins_constant_bernoulli,
                            lai_robbins_constant_gaussian, lipschitz_uniform_discretization_order,
                            minimax_hard_gap, oful_regret_ls_thm19_2, oful_sqrt_beta_ls_thm20_5, minimax_lower_bound_ls_thm15_2,
                            ucb1_auer2002_bound, ucb1_lattimore_thm7_1_bound)
from .bound import Bound
from .dp_bounds import vi_contraction_bound, vi_policy_error_bound, vi_stopping_threshold, vi_value_error_bound
from .errors import BoundError
from .proof_steps import ProofStepCheck, ucb1_proof_steps
from .rates import Rate, rate_in_horizon

__all__ = ["exp3_auer2002_cor3_2_bound", "exp3_auer2002_cor3_2_numeric_bound", "exp3_auer2002_gamma",
           "exp3_lattimore_eta", "exp3_lattimore_thm11_2_bound", "hedge_slivkins_epsilon",
           "hedge_slivkins_thm5_16_bound", "Bound", "BoundError", "Rate", "rate_in_horizon", "ProofStepCheck", "ucb1_proof_steps",
           "bernoulli_kl", "dynamical_steady_state_gain", "lai_robbins_bound", "lipschitz_uniform_discretization_order", "oful_regret_ls_thm19_2",
           "oful_sqrt_beta_ls_thm20_5", "lai_robbins_constant_bernoulli", "lai_robbins_constant_gaussian",
           "minimax_hard_gap", "minimax_lower_bound_ls_thm15_2", "ucb1_auer2002_bound", "ucb1_lattimore_thm7_1_bound",
           "vi_contraction_bound", "vi_policy_error_bound", "vi_stopping_threshold", "vi_value_error_bound"]
