"""proofs_check: what theory says. Every claim's bound or identity as a SymPy ``Bound`` with its source and
theorem, numeric evaluation, symbolic rate extraction and checks of proof steps. Depends on nothing else in the
project (``tabular_envs`` and ``testbed`` import it, never the reverse).

Modules: ``bound`` (the Bound type), ``symbols``, ``rates``, ``fitted_slope``, ``proof_steps``, and one module of
formulas per claim family: ``bandits``, ``dp``, ``retraining``, ``sample_complexity``.
"""
from . import (
           bandits,
           bound,
           dp,
           errors,
           estimation,
           fitted_slope,
           policy_opt,
           proof_steps,
           rates,
           retraining,
           sample_complexity,
)
from .bandits import *  # noqa: F403
from .bound import *  # noqa: F403
from .dp import *  # noqa: F403
from .errors import *  # noqa: F403
from .estimation import *  # noqa: F403
from .fitted_slope import *  # noqa: F403
from .policy_opt import *  # noqa: F403
from .proof_steps import *  # noqa: F403
from .rates import *  # noqa: F403
from .retraining import *  # noqa: F403
from .sample_complexity import *  # noqa: F403

__all__ = [*bandits.__all__, *bound.__all__, *dp.__all__, *errors.__all__, *estimation.__all__,
           *fitted_slope.__all__, *policy_opt.__all__, *proof_steps.__all__, *rates.__all__, *retraining.__all__,
           *sample_complexity.__all__]
