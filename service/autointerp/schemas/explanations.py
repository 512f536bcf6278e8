"""Explaining, simulating and scoring: requests and results."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, Field, model_validator

from autointerp.interp.activations import Polarity
from autointerp.interp.explainers import ExplainerKind
from autointerp.interp.prompts import check_explanation
from autointerp.interp.protocols import MethodProtocol
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


def _checked_explanation(text: str) -> str:
    reason = check_explanation(text)
    if reason is not None:
        raise ValueError(f"not an explanation: {reason}")
    return text


Explanation = Annotated[
    str,
    Field(
        min_length=1,
        max_length=500,
        description="Words describing what the neuron does: no markup or control tokens, "
        "no token/activation listing, not numbers or punctuation alone.",
    ),
    AfterValidator(_checked_explanation),
]
SEED = (
    "Seeds the explainer's sampling (the server's `seed` for an OpenAI-compatible profile, "
    "best effort there; the generator of a local model): another seed is another operation "
    "and another draw, the same seed the same operation."
)
TEMPERATURE = (
    "The explainer's sampling temperature; default: 0 (greedy, deterministic) with one "
    "sample, 1 with several. A draw asked for again after a greedy one is sampled at 1."
)
Seed = Annotated[int, Field(ge=0, le=2**31 - 1, description=SEED)]
Temperature = Annotated[float | None, Field(ge=0.0, le=2.0, description=TEMPERATURE)]
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


PROTOCOL = (
    "Which rules to follow (docs/method.md): `autointerp`, ours, or `study`, neuron-explainer's "
    "exactly: n // splits excerpts per split (leftovers dropped), its prompt listings (the "
    "zero-filtered repeat decided once per prompt block), scores against raw signed "
    "activations, and `all_at_once` simulating one excerpt per prompt."
)
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
        "(no candidates are scored on valid). Candidates that are not explanations (markup, "
        "listings, numbers alone, the prompt's wording) are drawn again, as are samples a "
        "server did not return; `sampling` in the result says how many were obtained.",
    )
    temperature: Temperature = None
    seed: Seed = 0
    simulator: SimulatorKind = Field(default=SimulatorKind.all_at_once, strict=False)
    simulator_profile: ProfileName | None = Field(
        default=None, description="Profile that simulates; default: `profile`."
    )
    calibration: CalibrationMethod = Field(
        default=CalibrationMethod.cross_fit, strict=False, description=_CALIBRATION
    )
    protocol: MethodProtocol = Field(
        default=MethodProtocol.autointerp, strict=False, description=PROTOCOL
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
    protocol: MethodProtocol = Field(
        default=MethodProtocol.autointerp, strict=False, description=PROTOCOL
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
    protocol: MethodProtocol = Field(
        default=MethodProtocol.autointerp, description="The rules it was scored by."
    )


class RejectedOut(WireModel):
    """A candidate the explainer returned that is not an explanation."""

    explanation: str
    reason: str


class SamplingOut(WireModel):
    """How the candidates were drawn."""

    asked: int = Field(description="Candidates asked for (`samples`).")
    obtained: int = Field(
        description="Distinct usable candidates: fewer than asked when the "
        "server returned fewer or some were rejected, within the bound on calls."
    )
    calls: int = Field(description="Calls to the explainer's model.")
    rejected: list[RejectedOut]


class ExplanationResult(WireModel):
    """The result of an explanation operation."""

    kind: Literal["explanation"] = "explanation"
    neuron: NeuronRef | None
    polarity: Polarity
    explainer: ExplainerKind
    simulator: SimulatorKind
    protocol: MethodProtocol = Field(
        default=MethodProtocol.autointerp, description="The rules it followed."
    )
    candidates: list[ScoredExplanation] = Field(
        description="Each sample, scored on valid (empty when samples is 1)."
    )
    best: ScoredExplanation = Field(description="The best on valid, scored on test.")
    sampling: SamplingOut | None = Field(
        default=None, description="How the candidates were drawn (absent in older results)."
    )
    usage: UsageOut


class ScoreResult(WireModel):
    """The result of a score operation."""

    kind: Literal["score"] = "score"
    neuron: NeuronRef | None
    polarity: Polarity
    simulator: SimulatorKind
    protocol: MethodProtocol = Field(
        default=MethodProtocol.autointerp, description="The rules it followed."
    )
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
