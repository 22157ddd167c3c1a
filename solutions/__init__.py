"""The reference library of *Gradient Descent, Hands-On*: numpy only, pure functions, explicit state.

The book's figures and demos and the autograder's verdicts all come from here. Names follow the book's
notation table (``book/notation.md``).
"""

from .driver import BOUND, Trajectory, as_optimizer, batches, divergence, optimize, run, run_epochs
from .exercises import minimize_momentum, schedule_values
from .gradcheck import gradient_check, numerical_gradient
from .model import cost, forward, gradient, hours_points, loss, loss_gradient
from .network import last_layer_gradient
from .newton import newton
from .optim import (
    AdaGradState,
    AdamState,
    EmptyState,
    MomentumState,
    RMSPropState,
    adagrad_init,
    adagrad_step,
    adam_init,
    adam_step,
    empty_init,
    gd_step,
    gd_update,
    momentum_init,
    momentum_step,
    rmsprop_init,
    rmsprop_step,
)
from .problems import LinearRegression, NonConvex1D, Problem, Quadratic, Rosenbrock, Saddle, TwoWells, make_regression
from .schedules import cosine_decay, exponential_decay, inverse_sqrt_decay, step_decay
from .search import SearchResult, coarse_to_fine, coarse_to_fine_path, grid_search, random_points, random_search
from .optimizers import OPTIMIZERS, Optimizer, stable_lr
from .second_order import (
    LBFGSResult,
    SingularHessian,
    lbfgs,
    lbfgs_two_loop,
    newton_step,
    newton_update,
    wolfe_line_search,
)
from .smoothing import ema
from .training import max_stable_lr, minibatch_sgd, sgd_epoch, train

__all__ = [
    "AdaGradState", "AdamState", "LBFGSResult", "LinearRegression", "MomentumState", "NonConvex1D", "Problem",
    "Quadratic", "RMSPropState", "Rosenbrock", "Saddle", "SearchResult", "Trajectory", "TwoWells",
    "adagrad_init", "adagrad_step", "adam_init", "adam_step", "batches", "coarse_to_fine", "coarse_to_fine_path",
    "cosine_decay", "cost", "ema", "exponential_decay", "forward", "gd_step", "gradient", "gradient_check",
    "grid_search", "hours_points", "inverse_sqrt_decay", "last_layer_gradient", "lbfgs", "lbfgs_two_loop",
    "loss", "loss_gradient", "make_regression", "momentum_init", "momentum_step", "newton", "newton_step",
    "numerical_gradient", "random_points", "random_search", "rmsprop_init", "rmsprop_step", "run", "run_epochs",
    "step_decay", "wolfe_line_search",
    "max_stable_lr", "minibatch_sgd", "sgd_epoch", "train",
    "minimize_momentum", "schedule_values",
    "BOUND", "EmptyState", "OPTIMIZERS", "Optimizer", "SingularHessian", "as_optimizer", "divergence",
    "empty_init", "gd_update", "newton_update", "optimize", "stable_lr",
]
