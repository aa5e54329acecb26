"""Gaussian-process emulators of one model output (docs/calibration.md, "Emulators").

An emulator predicts a summary y(x) of the model (the mean over replicates, in its target's
metric) at parameter points x in the unit cube, with a variance saying how sure it is:

    y(x) = h(x_A)' beta + u(x_A),   u ~ GP(0, s^2 exp(-sum_i (x_i - x'_i)^2 / (2 l_i^2))) + nugget

- x_A are the *active inputs*: the few parameters that explain most of the output, chosen by
  forward selection (each step adds the input whose linear and squared terms lower the
  residual sum of squares most; it stops at `max_active` or when an input explains less than
  `min_gain` of the variance). The other inputs act through the nugget (a WhiteKernel), which
  the predictive variance includes: their effect is emulator uncertainty (Vernon et al. 2010).
- h(x_A) = (1, x_A, x_A^2): an ordinary least-squares trend; the GP models what it leaves.
- The GP is scikit-learn's GaussianProcessRegressor (squared-exponential kernel with one length
  scale per active input, plus the nugget), with the Monte Carlo variance of each training
  value (replicate variance / replicates) as its known noise `alpha`, hyperparameters by
  maximum likelihood. Inputs are standardised by the training points' mean and spread.

`loo()` gives the leave-one-out predictions in closed form (Rasmussen & Williams 2006,
eq. 5.12), with the hyperparameters and the trend held fixed: mean_i = y_i - [K^-1 r]_i /
[K^-1]_ii and variance 1 / [K^-1]_ii, K the kernel matrix with the noise, r the residuals of
the trend. The standardised errors (y_i - mean_i) / sd_i should look like N(0, 1).
"""
from __future__ import annotations

import warnings

import numpy as np
from scipy.linalg import cho_solve
from sklearn.exceptions import ConvergenceWarning
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import RBF, ConstantKernel, WhiteKernel


def trend_matrix(Z: np.ndarray) -> np.ndarray:
    """(1, z, z^2) for each row of Z."""
    return np.column_stack([np.ones(len(Z)), Z, Z ** 2])


def forward_select(Z: np.ndarray, y: np.ndarray, max_active: int, min_gain: float = 0.002) -> list[int]:
    """Inputs in order of selection (see the module's docstring); at least one."""
    n, d = Z.shape
    limit = max(1, min(max_active, d, (n - 2) // 4))  # keep the trend well determined
    total = float(np.sum((y - y.mean()) ** 2))
    if total <= 0:
        return [0]
    active: list[int] = []
    rss_prev = total
    for _ in range(limit):
        best_j, best_rss = None, np.inf
        for j in range(d):
            if j in active:
                continue
            H = trend_matrix(Z[:, active + [j]])
            beta, *_ = np.linalg.lstsq(H, y, rcond=None)
            rss = float(np.sum((y - H @ beta) ** 2))
            if rss < best_rss:
                best_j, best_rss = j, rss
        if active and (rss_prev - best_rss) / total < min_gain:
            break
        active.append(best_j)
        rss_prev = best_rss
    return active


class Emulator:
    """One output's emulator. fit() it, then predict() mean and variance anywhere in the cube."""

    def __init__(self, max_active: int = 10, seed: int = 0, restarts: int = 1, min_gain: float = 0.002,
                 kernel=None, active=None, trend: bool = True):
        self.max_active, self.seed, self.restarts, self.min_gain = max_active, seed, restarts, min_gain
        self._fixed_kernel = kernel      # a kernel with fixed hyperparameters (tests): no optimisation
        self._fixed_active = active      # given active inputs (tests)
        self.trend = trend

    def _z(self, X):
        return (np.asarray(X, float) - self.x_mean) / self.x_sd

    def fit(self, X, y, noise_var) -> "Emulator":
        X, y = np.asarray(X, float), np.asarray(y, float)
        noise = np.broadcast_to(np.asarray(noise_var, float), y.shape).copy()
        self.x_mean = X.mean(axis=0)
        sd = X.std(axis=0)
        self.x_sd = np.where(sd > 0, sd, 1.0)
        Z = self._z(X)
        self.active = list(self._fixed_active) if self._fixed_active is not None else \
            forward_select(Z, y, self.max_active, self.min_gain)
        Za = Z[:, self.active]
        if self.trend:
            H = trend_matrix(Za)
            self.beta, *_ = np.linalg.lstsq(H, y, rcond=None)
            r = y - H @ self.beta
        else:
            self.beta = None
            r = y.copy()
        v = float(np.var(r)) if np.var(r) > 0 else 1e-12
        if self._fixed_kernel is not None:
            kernel, optimizer = self._fixed_kernel, None
        else:
            kernel = (ConstantKernel(v, (v * 1e-3, v * 1e2)) * RBF(np.ones(len(self.active)), (5e-2, 1e2))
                      + WhiteKernel(v * 0.05, (v * 1e-6, v)))
            optimizer = "fmin_l_bfgs_b"
        self.gp = GaussianProcessRegressor(kernel, alpha=np.maximum(noise, 1e-10), optimizer=optimizer,
                                           n_restarts_optimizer=self.restarts if optimizer else 0,
                                           normalize_y=False, random_state=self.seed)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            self.gp.fit(Za, r)
        self.y, self.r, self.noise, self.n = y, r, noise, len(y)
        return self

    def predict(self, X) -> tuple[np.ndarray, np.ndarray]:
        """(mean, variance) at rows of X; the variance includes the nugget, not the Monte Carlo noise."""
        Za = self._z(X)[:, self.active]
        m, s = self.gp.predict(Za, return_std=True)
        if self.trend:
            m = m + trend_matrix(Za) @ self.beta
        return m, s ** 2

    def mean(self, X) -> np.ndarray:
        """The predictive mean alone (cheaper: no variance)."""
        Za = self._z(X)[:, self.active]
        m = self.gp.predict(Za)
        return m + trend_matrix(Za) @ self.beta if self.trend else m

    def loo(self) -> dict:
        """Closed-form leave-one-out: mean, variance (of the noisy training value) and standardised errors."""
        kinv = cho_solve((self.gp.L_, True), np.eye(self.n))
        d = np.diag(kinv)
        resid = self.gp.alpha_ / d
        var = 1.0 / d
        return {"mean": self.y - resid, "var": var, "std_error": resid / np.sqrt(var)}

    def summary(self, names=None) -> dict:
        """Active inputs, fitted kernel and the leave-one-out diagnostics, for the report."""
        loo = self.loo()
        e = loo["std_error"]
        ss = float(np.sum((self.y - self.y.mean()) ** 2))
        r2 = 1.0 - float(np.sum((self.y - loo["mean"]) ** 2)) / ss if ss > 0 else float("nan")
        return {"active": [names[i] if names else i for i in self.active], "kernel": str(self.gp.kernel_),
                "n": self.n, "loo_r2": r2, "loo_outside_2sd": float(np.mean(np.abs(e) > 2)),
                "loo_outside_3sd": float(np.mean(np.abs(e) > 3)), "loo_rmse_std": float(np.sqrt(np.mean(e ** 2)))}
