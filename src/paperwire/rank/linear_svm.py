"""A linear support vector machine (squared hinge loss, L2-regularised), trained in the primal.

It minimises ``0.5 * (|w|² + b²) + Σ cost_i * max(0, 1 - y_i (w·x_i + b))²``,
the objective of LIBLINEAR's L2-loss SVM with its bias taken as one more,
regularised feature (scikit-learn's ``LinearSVC`` with ``intercept_scaling=1``).
The objective is differentiable, so Newton's method with conjugate-gradient
steps on the generalised Hessian converges in a few dozen products with the
data (Keerthi and DeCoste, "A modified finite Newton method for fast solution
of large scale linear SVMs", JMLR 6, 2005; Lin, Weng and Keerthi, "Trust region
Newton method for large-scale logistic regression", JMLR 9, 2008).
Per-example costs carry class balance and example weights.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

__all__ = ["LinearModel", "RowMatrix", "train_linear_svm"]


class RowMatrix(Protocol):
    """What the solver needs of the data: its width and products with it."""

    @property
    def width(self) -> int: ...

    def take(self, rows: np.ndarray) -> RowMatrix: ...

    def dot(self, weights: np.ndarray) -> np.ndarray: ...

    def tdot(self, values: np.ndarray) -> np.ndarray: ...


@dataclass(frozen=True, slots=True)
class LinearModel:
    weights: np.ndarray  # (width,) float64
    bias: float

    def decision(self, rows: RowMatrix) -> np.ndarray:
        """The signed score of each row: positive on the side of the positives."""
        return rows.dot(self.weights) + self.bias


def train_linear_svm(
    rows: RowMatrix,
    labels: np.ndarray,
    costs: np.ndarray,
    *,
    tolerance: float = 1e-4,
    max_newton_steps: int = 100,
    max_cg_steps: int = 50,
) -> LinearModel:
    """Train on ``rows`` with ``labels`` in {-1, +1} and a positive cost per row.

    Stops when the gradient's norm falls below ``tolerance`` times its first
    value, or after ``max_newton_steps``; the model reached is returned either
    way (a boundary not fully converged still ranks well).
    """
    y = np.asarray(labels, dtype=np.float64)
    cost = np.asarray(costs, dtype=np.float64)
    problem = _Problem(rows, y, cost)
    theta = np.zeros(rows.width + 1, dtype=np.float64)
    first_norm = None
    for _ in range(max_newton_steps):
        active, gradient = problem.gradient(theta)
        norm = float(np.linalg.norm(gradient))
        first_norm = first_norm or norm
        if norm <= tolerance * first_norm or norm == 0.0:
            break
        step = _conjugate_gradient(problem, active, -gradient, max_cg_steps, 0.1 * norm)
        theta = _line_search(problem, theta, step, float(gradient @ step))
    return LinearModel(theta[:-1], float(theta[-1]))


class _Problem:
    def __init__(self, rows: RowMatrix, y: np.ndarray, cost: np.ndarray) -> None:
        self.rows, self.y, self.cost = rows, y, cost

    def margins(self, theta: np.ndarray) -> np.ndarray:
        return self.y * (self.rows.dot(theta[:-1]) + theta[-1])

    def objective(self, theta: np.ndarray) -> float:
        slack = np.maximum(0.0, 1.0 - self.margins(theta))
        return 0.5 * float(theta @ theta) + float(self.cost @ (slack * slack))

    def gradient(self, theta: np.ndarray) -> tuple[_Active, np.ndarray]:
        margins = self.margins(theta)
        picked = np.flatnonzero(margins < 1.0)
        active = _Active(self.rows.take(picked), self.cost[picked])
        scaled = 2.0 * active.cost * (margins[picked] - 1.0) * self.y[picked]
        gradient = theta.copy()
        gradient[:-1] += active.rows.tdot(scaled)
        gradient[-1] += float(scaled.sum())
        return active, gradient


@dataclass(slots=True)
class _Active:
    """The rows whose loss is not zero: the generalised Hessian is theirs."""

    rows: RowMatrix
    cost: np.ndarray

    def hessian_times(self, vector: np.ndarray) -> np.ndarray:
        inner = 2.0 * self.cost * (self.rows.dot(vector[:-1]) + vector[-1])
        out = vector.copy()
        out[:-1] += self.rows.tdot(inner)
        out[-1] += float(inner.sum())
        return out


def _conjugate_gradient(
    problem: _Problem, active: _Active, target: np.ndarray, steps: int, tolerance: float
) -> np.ndarray:
    """An approximate solution of ``H x = target`` (H positive definite)."""
    solution = np.zeros_like(target)
    residual = target.copy()
    direction = residual.copy()
    rr = float(residual @ residual)
    for _ in range(steps):
        if rr**0.5 <= tolerance:
            break
        hd = active.hessian_times(direction)
        alpha = rr / float(direction @ hd)
        solution += alpha * direction
        residual -= alpha * hd
        rr_next = float(residual @ residual)
        direction = residual + (rr_next / rr) * direction
        rr = rr_next
    return solution


def _line_search(
    problem: _Problem, theta: np.ndarray, step: np.ndarray, slope: float
) -> np.ndarray:
    """The longest of 1, 1/2, 1/4, ... along ``step`` that lowers the objective enough
    (Armijo's rule); the Newton step itself almost always does."""
    start = problem.objective(theta)
    size = 1.0
    while size > 1e-10:
        moved = theta + size * step
        if problem.objective(moved) <= start + 1e-4 * size * slope:
            return moved
        size *= 0.5
    return theta
