"""Scoring an explanation: simulate the scored excerpts, compare with the real activations."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

import numpy as np

from autointerp.interp.binary_simulation import simulate_binary, supports_answer_logprobs
from autointerp.interp.errors import InvalidRequest
from autointerp.interp.ports import LanguageModel, Usage
from autointerp.interp.protocols import OURS, Rules
from autointerp.interp.records import ActivationRecord
from autointerp.interp.scoring import (
    Calibration,
    CalibrationMethod,
    ScoreParts,
    cross_fitted,
    fit_calibration,
    pool,
    score,
)
from autointerp.interp.simulation import (
    Simulation,
    SimulatorKind,
    check_simulator,
    simulate_all_at_once,
    simulate_generated,
    simulate_json,
    simulate_lexical,
)
from autointerp.interp.splits import Split, SplitRecords

_MODEL_SIMULATORS: dict[
    SimulatorKind,
    Callable[[LanguageModel, str, Sequence[Sequence[str]]], Awaitable[Simulation]],
] = {
    SimulatorKind.generated: simulate_generated,
    SimulatorKind.json: simulate_json,
}


async def simulate(
    kind: SimulatorKind,
    model: LanguageModel | None,
    explanation: str,
    excerpts: Sequence[Sequence[str]],
    rules: Rules = OURS,
) -> Simulation:
    """Predict activations of the excerpts with the chosen simulator (`rules`: how an
    `all_at_once` prompt is laid out and how many excerpts it holds)."""
    check_simulator(
        kind,
        model is not None,
        model is not None and model.supports_prompt_logprobs,
        supports_answer_logprobs(model),
    )
    if model is None or kind is SimulatorKind.lexical:
        return simulate_lexical(explanation, excerpts)
    if kind is SimulatorKind.binary:
        return await simulate_binary(model, explanation, excerpts)
    if kind is SimulatorKind.all_at_once:
        return await simulate_all_at_once(
            model, explanation, excerpts, rules.study_listing, rules.prompt_per_excerpt
        )
    return await _MODEL_SIMULATORS[kind](model, explanation, excerpts)


@dataclass(frozen=True)
class ExplanationScore:
    """Scores of one explanation on one split, with their parts."""

    explanation: str
    top_and_random: ScoreParts
    random_only: ScoreParts
    calibrated_top_and_random: ScoreParts
    calibration: Calibration
    unaligned_tokens: int
    usage: Usage


async def score_explanation(
    kind: SimulatorKind,
    model: LanguageModel | None,
    explanation: str,
    splits: dict[Split, SplitRecords],
    scored_split: Split = Split.valid,
    calibration_method: CalibrationMethod = CalibrationMethod.cross_fit,
    rules: Rules = OURS,
) -> ExplanationScore:
    """Top-and-random and random-only scores on `scored_split`, and the top-and-random score
    calibrated as `calibration_method` says (only `split` simulates the calibration split).
    Scores pool every scored excerpt's tokens, whichever way `rules` simulate them."""
    scored = splits[scored_split]
    if not scored.top and not scored.random:
        raise InvalidRequest(f"the record has no excerpts in the {scored_split.value} split")
    calibration_records: list[ActivationRecord] = []
    if calibration_method is CalibrationMethod.split:
        calibration_records = [*splits[Split.calibration].top, *splits[Split.calibration].random]
    records = [*calibration_records, *scored.top, *scored.random]
    simulation = await simulate(kind, model, explanation, [r.tokens for r in records], rules)
    n_cal, n_top = len(calibration_records), len(scored.top)
    real = [r.activations for r in records[n_cal:]]
    values = simulation.values[n_cal:]
    scored_real, scored_sim = pool(real), pool(values)
    if calibration_method is CalibrationMethod.split:
        calibration = fit_calibration(
            pool([r.activations for r in records[:n_cal]]), pool(simulation.values[:n_cal])
        )
        calibrated = calibration.apply(scored_sim)
    else:
        calibration = fit_calibration(scored_real, scored_sim)  # reported, not applied
        calibrated = cross_fitted(real, values)
    return ExplanationScore(
        explanation=explanation,
        top_and_random=score(scored_real, scored_sim),
        random_only=score(pool(real[n_top:]), pool(values[n_top:])),
        calibrated_top_and_random=score(scored_real, calibrated),
        calibration=calibration,
        unaligned_tokens=simulation.unaligned_tokens,
        usage=simulation.usage,
    )


def ranking_key(correlation: float | None) -> float:
    """Sort key of a score: higher is better; an undefined correlation ranks last."""
    return -np.inf if correlation is None else correlation


def best(scores: Sequence[ExplanationScore]) -> ExplanationScore:
    """The best-scoring explanation (undefined correlations rank last)."""
    return max(scores, key=lambda s: ranking_key(s.top_and_random.correlation))
