"""The one place where domain objects become wire models and back: explicit constructors,
no field splats, so a field added on one side is a visible change here."""

from __future__ import annotations

from autointerp.interp.evaluation import ExplanationScore
from autointerp.interp.ports import Usage
from autointerp.interp.protocols import MethodProtocol
from autointerp.interp.records import (
    ActivationRecord,
    ActivationStats,
    NeuronRecord,
    ScanMeta,
    ScanSettings,
    TokenizedText,
)
from autointerp.interp.scoring import Calibration, ScoreParts
from autointerp.interp.splits import Split
from autointerp.schemas.activations import (
    ExcerptPublic,
    NeuronRecordPublic,
    NeuronResult,
    NeuronStatsPublic,
    QuantileBinPublic,
    ScanRequest,
    ScanResult,
    TextActivations,
)
from autointerp.schemas.explanations import (
    CalibrationOut,
    ExcerptIn,
    InlineRecords,
    ScoredExplanation,
    ScoreOut,
    UsageOut,
)
from autointerp.schemas.neuron_search import FiringNeuron, TokenNeurons
from autointerp.schemas.tokenization import TokenizedText as TokenizedTextOut


def tokenized_out(text: TokenizedText) -> TokenizedTextOut:
    """A text's tokens and offsets."""
    return TokenizedTextOut(token_ids=text.token_ids, tokens=text.tokens, offsets=text.offsets)


def token_neurons_out(text: TokenizedText, top: list[list[FiringNeuron]]) -> list[TokenNeurons]:
    """A text's tokens, each with the neurons that fire most on it ([token][rank])."""
    return [
        TokenNeurons(token_id=token_id, text=token, offset=offset, top=neurons)
        for token_id, token, offset, neurons in zip(
            text.token_ids, text.tokens, text.offsets, top, strict=True
        )
    ]


def text_activations_out(text: TokenizedText, activations: list[list[float]]) -> TextActivations:
    """A text's tokens with the recorded neurons' activation at each ([token][neuron])."""
    return TextActivations(
        token_ids=text.token_ids, tokens=text.tokens, offsets=text.offsets, activations=activations
    )


def scan_settings(request: ScanRequest, layers: list[int]) -> ScanSettings:
    """A scan request's settings, over the layers submit resolved."""
    return ScanSettings(
        layers=layers,
        excerpt_tokens=request.excerpt_tokens,
        top_k=request.top_k,
        random_k=request.random_k,
        quantile_bins=request.quantile_bins,
        quantile_k=request.quantile_k,
        max_tokens=request.max_tokens,
        batch_size=request.batch_size,
        seed=request.seed,
    )


def scan_result(meta: ScanMeta) -> ScanResult:
    """What a finished scan reports."""
    return ScanResult(
        scan_id=meta.scan_id,
        model=meta.model,
        model_revision=meta.model_revision,
        layers=meta.layers,
        neurons_per_layer=meta.neurons_per_layer,
        excerpts=meta.excerpts,
        tokens=meta.tokens,
    )


def _record_in(excerpt: ExcerptIn) -> ActivationRecord:
    return ActivationRecord(list(excerpt.tokens), list(excerpt.activations))


def records_in(records: InlineRecords) -> tuple[list[ActivationRecord], list[ActivationRecord]]:
    """Inline top and random excerpts as activation records."""
    return [_record_in(e) for e in records.top], [_record_in(e) for e in records.random]


def _excerpt_out(record: ActivationRecord) -> ExcerptPublic:
    assert record.excerpt_id is not None, "a stored excerpt always has its id"
    return ExcerptPublic(
        excerpt_id=record.excerpt_id, tokens=record.tokens, activations=record.activations
    )


def _stats_out(stats: ActivationStats) -> NeuronStatsPublic:
    return NeuronStatsPublic(
        count=stats.count,
        mean=stats.mean,
        variance=stats.variance,
        skewness=stats.skewness,
        kurtosis=stats.kurtosis,
        max=stats.max,
        min=stats.min,
    )


def neuron_record_out(
    model: str,
    layer: int,
    index: int,
    scan_id: str,
    record: NeuronRecord,
    results: list[NeuronResult],
) -> NeuronRecordPublic:
    """A neuron's record with its cached results, as the neuron read returns it."""
    return NeuronRecordPublic(
        model=model,
        layer=layer,
        index=index,
        scan_id=scan_id,
        top=[_excerpt_out(r) for r in record.top],
        bottom=[_excerpt_out(r) for r in record.bottom],
        random=[_excerpt_out(r) for r in record.random],
        quantiles=[
            QuantileBinPublic(
                quantile_from=b.quantile_from,
                quantile_to=b.quantile_to,
                lower=b.lower,
                upper=b.upper,
                excerpts=[_excerpt_out(record.quantile_sample[i]) for i in b.members],
            )
            for b in record.quantiles()
        ],
        stats=_stats_out(record.stats),
        results=results,
    )


def usage_out(usage: Usage) -> UsageOut:
    """Tokens and calls spent."""
    return UsageOut(
        prompt_tokens=usage.prompt_tokens,
        completion_tokens=usage.completion_tokens,
        calls=usage.calls,
        cached_calls=usage.cached_calls,
    )


def _score_out(parts: ScoreParts) -> ScoreOut:
    return ScoreOut(
        correlation=parts.correlation,
        r_squared=parts.r_squared,
        absolute_deviation_explained=parts.absolute_deviation_explained,
        tokens=parts.tokens,
    )


def _calibration_out(calibration: Calibration) -> CalibrationOut:
    return CalibrationOut(slope=calibration.slope, intercept=calibration.intercept)


def scored_out(
    result: ExplanationScore, split: Split, protocol: MethodProtocol
) -> ScoredExplanation:
    """An explanation's scores on one split, by the rules of `protocol`."""
    return ScoredExplanation(
        explanation=result.explanation,
        split=split,
        top_and_random=_score_out(result.top_and_random),
        random_only=_score_out(result.random_only),
        calibrated_top_and_random=_score_out(result.calibrated_top_and_random),
        calibration=_calibration_out(result.calibration),
        unaligned_tokens=result.unaligned_tokens,
        protocol=protocol,
    )
