"""Explaining, simulating and scoring: requests and results."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from autointerp.interp.activations import Polarity
from autointerp.interp.explainers import ExplainerKind
from autointerp.interp.scoring import CalibrationMethod
from autointerp.interp.simulation import SimulatorKind
from autointerp.interp.splits import Split
from autointerp.schemas.activations import Layer, NeuronIndex
from autointerp.schemas.common import StrictModel, WireModel

# Enum fields are validated with strict=False: JSON carries their values as strings, which
# strict mode would reject; any other type is still an error.
from autointerp.schemas.tokenization import ModelName

MAX_EXCERPT_TOKENS = 512
MAX_EXCERPTS = 64
ProfileName = Annotated[
    str, Field(min_length=1, max_length=100, description="A server-configured LLM profile.")
]
Explanation = Annotated[str, Field(min_length=1, max_length=500)]
TokenText = Annotated[str, Field(max_length=200)]


class NeuronRef(StrictModel):
    """A neuron whose record a scan has stored."""

    model: ModelName
    layer: Layer
    index: NeuronIndex
    scan: str | None = Field(
        default=None,
        pattern=r"^[0-9a-f]{64}$",
        description="Scan id; default: the model's latest scan.",
    )


class ExcerptIn(StrictModel):
    """One excerpt given inline: tokens and the neuron's activation at each."""

    tokens: list[TokenText] = Field(min_length=1, max_length=MAX_EXCERPT_TOKENS)
    activations: list[float] = Field(min_length=1, max_length=MAX_EXCERPT_TOKENS)

    @model_validator(mode="after")
    def _same_length(self) -> ExcerptIn:
        if len(self.tokens) != len(self.activations):
            raise ValueError(
                f"tokens ({len(self.tokens)}) and activations ({len(self.activations)}) "
                "must have the same length"
            )
        return self


class InlineRecords(StrictModel):
    """A neuron record given in the request instead of read from a scan."""

    top: list[ExcerptIn] = Field(min_length=1, max_length=MAX_EXCERPTS)
    random: list[ExcerptIn] = Field(default_factory=list, max_length=MAX_EXCERPTS)


class _NeuronOrRecords(StrictModel):
    neuron: NeuronRef | None = None
    records: InlineRecords | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> _NeuronOrRecords:
        if (self.neuron is None) == (self.records is None):
            raise ValueError("give exactly one of 'neuron' (a scanned neuron) or 'records'")
        return self


_CALIBRATION = (
    "Where the calibrated score's linear fit comes from: `cross_fit` (each scored excerpt "
    "calibrated by a fit on the others; no extra simulation) or `split` (the calibration "
    "split, which is then simulated too, as in the study)."
)


class ExplanationRequest(_NeuronOrRecords):
    """Explain a neuron from its top excerpts; best-of-k scored on a held-out split."""

    explainer: ExplainerKind = Field(default=ExplainerKind.token_activation_pair, strict=False)
    profile: ProfileName = "local"
    polarity: Polarity = Field(default=Polarity.positive, strict=False)
    samples: int = Field(
        default=3,
        ge=1,
        le=10,
        description="k of best-of-k. With 1 the one explanation is scored on test directly "
        "(no candidates are scored on valid).",
    )
    temperature: float = Field(default=1.0, ge=0.0, le=2.0)
    simulator: SimulatorKind = Field(default=SimulatorKind.all_at_once, strict=False)
    simulator_profile: ProfileName | None = Field(
        default=None, description="Profile that simulates; default: `profile`."
    )
    calibration: CalibrationMethod = Field(
        default=CalibrationMethod.cross_fit, strict=False, description=_CALIBRATION
    )


class ScoreRequest(_NeuronOrRecords):
    """Score an explanation of a neuron against its real activations."""

    explanation: Explanation
    profile: ProfileName = "local"
    simulator: SimulatorKind = Field(default=SimulatorKind.all_at_once, strict=False)
    polarity: Polarity = Field(default=Polarity.positive, strict=False)
    split: Literal["valid", "test"] = "valid"
    calibration: CalibrationMethod = Field(
        default=CalibrationMethod.cross_fit, strict=False, description=_CALIBRATION
    )


class SimulationRequest(StrictModel):
    """Predict activations from an explanation alone, on texts or on given tokens."""

    explanation: Explanation
    profile: ProfileName = "local"
    simulator: SimulatorKind = Field(default=SimulatorKind.all_at_once, strict=False)
    tokens: list[list[TokenText]] | None = Field(default=None, max_length=MAX_EXCERPTS)
    texts: list[Annotated[str, Field(min_length=1, max_length=4000)]] | None = Field(
        default=None, max_length=MAX_EXCERPTS
    )
    model: ModelName | None = Field(default=None, description="Tokenizer for `texts`.")

    @model_validator(mode="after")
    def _tokens_or_texts(self) -> SimulationRequest:
        if (self.tokens is None) == (self.texts is None):
            raise ValueError("give exactly one of 'tokens' or 'texts'")
        if self.tokens is not None and any(
            not 1 <= len(t) <= MAX_EXCERPT_TOKENS for t in self.tokens
        ):
            raise ValueError(f"each token list must hold 1-{MAX_EXCERPT_TOKENS} tokens")
        return self


class UsageOut(WireModel):
    """Language-model tokens spent."""

    prompt_tokens: int
    completion_tokens: int
    calls: int
    cached_calls: int


class ScoreOut(WireModel):
    """Scores on pooled tokens; null where undefined (constant vectors, silent neuron)."""

    correlation: float | None
    r_squared: float | None
    absolute_deviation_explained: float | None
    tokens: int


class CalibrationOut(WireModel):
    """y_hat' = slope * y_hat + intercept: fitted on the calibration split, or with
    `cross_fit` on all scored excerpts (each excerpt's calibrated values use a fit on the
    others)."""

    slope: float
    intercept: float


class ScoredExplanation(WireModel):
    """An explanation with every score of it on one split."""

    explanation: str
    split: Split
    top_and_random: ScoreOut
    random_only: ScoreOut
    calibrated_top_and_random: ScoreOut
    calibration: CalibrationOut
    unaligned_tokens: int


class ExplanationResult(WireModel):
    """The result of an explanation operation."""

    kind: Literal["explanation"] = "explanation"
    neuron: NeuronRef | None
    polarity: Polarity
    explainer: ExplainerKind
    simulator: SimulatorKind
    candidates: list[ScoredExplanation] = Field(
        description="Each sample, scored on valid (empty when samples is 1)."
    )
    best: ScoredExplanation = Field(description="The best on valid, scored on test.")
    usage: UsageOut


class ScoreResult(WireModel):
    """The result of a score operation."""

    kind: Literal["score"] = "score"
    neuron: NeuronRef | None
    polarity: Polarity
    simulator: SimulatorKind
    score: ScoredExplanation
    usage: UsageOut


class SimulatedExcerpt(WireModel):
    """Predicted activations (0-10) per token."""

    tokens: list[str]
    values: list[float]


class SimulationResult(WireModel):
    """The result of a simulation operation."""

    kind: Literal["simulation"] = "simulation"
    simulator: SimulatorKind
    excerpts: list[SimulatedExcerpt]
    unaligned_tokens: int
    usage: UsageOut
