"""Every scoring formula against hand-computed values."""

import math

import numpy as np
import pytest

from autointerp.interp.scoring import correlation, cross_fitted, fit_calibration, pool, score


def test_correlation_by_hand():
    real = np.array([0.0, 1.0, 2.0, 3.0])
    simulated = np.array([0.0, 1.0, 1.0, 3.0])
    # means 1.5 and 1.25; deviations (-1.5, -0.5, 0.5, 1.5) and (-1.25, -0.25, -0.25, 1.75)
    # sum of products 1.875 + 0.125 - 0.125 + 2.625 = 4.5; sums of squares 5 and 4.75
    expected = 4.5 / math.sqrt(5 * 4.75)
    assert correlation(real, simulated) == pytest.approx(expected)


def test_correlation_is_null_for_constant_vectors():
    assert correlation(np.zeros(5), np.arange(5.0)) is None
    assert correlation(np.arange(5.0), np.full(5, 3.0)) is None
    assert score(np.zeros(4), np.zeros(4)).correlation is None


def test_r_squared_uses_mean_of_squares_not_variance():
    real = np.array([1.0, 2.0, 3.0])
    simulated = np.array([1.0, 2.0, 2.0])
    # 1 - mean((y - y_hat)^2) / mean(y^2) = 1 - (1/3) / (14/3)
    assert score(real, simulated).r_squared == pytest.approx(1 - 1 / 14)


def test_absolute_deviation_explained_by_hand():
    real = np.array([2.0, -2.0, 4.0])
    simulated = np.array([1.0, -2.0, 4.0])
    # 1 - mean(|y - y_hat|) / mean(|y|) = 1 - (1/3) / (8/3)
    assert score(real, simulated).absolute_deviation_explained == pytest.approx(1 - 1 / 8)


def test_silent_neuron_has_no_r_squared():
    parts = score(np.zeros(3), np.array([1.0, 0.0, 0.0]))
    assert parts.r_squared is None and parts.absolute_deviation_explained is None


def test_calibration_keeps_correlation_and_improves_r_squared_on_a_biased_simulation():
    rng = np.random.default_rng(0)
    real = rng.exponential(size=200)
    biased = 3.0 * real + 5.0 + rng.normal(scale=0.2, size=200)
    calibration = fit_calibration(real, biased)
    calibrated = calibration.apply(biased)
    assert correlation(real, calibrated) == pytest.approx(correlation(real, biased))
    assert score(real, calibrated).r_squared > score(real, biased).r_squared
    assert calibration.slope == pytest.approx(1 / 3, rel=0.05)


def test_pooled_score_differs_from_the_average_of_per_excerpt_scores():
    real = [[0.0, 1.0, 0.0, 0.0], [5.0, 0.0, 6.0]]
    simulated = [[0.0, 2.0, 1.0, 0.0], [1.0, 0.0, 3.0]]
    pooled = correlation(pool(real), pool(simulated))
    per_excerpt = np.mean(
        [correlation(np.array(r), np.array(s)) for r, s in zip(real, simulated, strict=True)]
    )
    assert pooled is not None and abs(pooled - per_excerpt) > 0.05


def test_lengths_must_match():
    from autointerp.interp.errors import InvalidRequest

    with pytest.raises(InvalidRequest):
        score(np.zeros(3), np.zeros(4))


def test_calibration_never_flips_an_anti_correlated_simulation():
    real = np.array([0.0, 1.0, 2.0, 3.0])
    calibration = fit_calibration(real, -real)
    assert calibration.slope == 0.0 and calibration.intercept == pytest.approx(1.5)
    assert correlation(real, calibration.apply(-real)) is None


def test_cross_fitted_calibration_uses_a_fit_on_the_other_excerpts():
    real = [[0, 1], [0, 2], [0, 3]]
    simulated = [[0, 1], [0, 1], [0, 1]]
    # Leaving out excerpt 0, the others give real = 2.5 * simulated; 1: 2.0 *; 2: 1.5 *.
    assert cross_fitted(real, simulated) == pytest.approx([0, 2.5, 0, 2.0, 0, 1.5])
    # A simulation that is an exact linear map of the real values is recovered exactly.
    exact = [[2 * v + 1 for v in excerpt] for excerpt in real]
    assert cross_fitted(real, exact) == pytest.approx(pool(real))
    assert cross_fitted([[1, 2]], [[1, 1]]) == pytest.approx([0, 0])  # nothing to fit on
