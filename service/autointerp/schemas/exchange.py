"""Export and import: the line schema of our gzip'd JSON Lines export, the import request and
result, and OpenAI neuron-explainer's published layouts (their `fast_dataclasses` JSON: every
object carries its `dataclass_name`, which their `loads` uses to rebuild it).

Our export, one JSON object per line (docs/export.md):
- first, one `{"type": "scan", "format": "autointerp-export", "version": 1, "scan": {...}}`
  line describing the scan the records come from;
- then one `{"type": "neuron", ...}` line per neuron: exactly the neuron read's body
  (`NeuronRecordPublic`: its top, bottom, random and quantile excerpts, moments and every
  cached explanation and score).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from autointerp.schemas.activations import ModelName, NeuronRecordPublic
from autointerp.schemas.common import StrictModel, WireModel

EXPORT_FORMAT = "autointerp-export"
EXPORT_VERSION = 1


class ImportFormat(StrEnum):
    """What an uploaded file holds."""

    autointerp = "autointerp"
    """Our own export: gzip'd JSON Lines."""
    neuron_explainer = "neuron-explainer"
    """A tar (optionally gzip'd) of neuron-explainer's `collated-activations/{layer}/{neuron}
    .json` and/or `explanations/{layer}/{neuron}.jsonl` files."""


class ScanLine(StrictModel):
    """The export's first line: the scan its records come from (ScanMeta's fields)."""

    type: Literal["scan"]
    format: Literal["autointerp-export"]
    version: Literal[1]
    scan: dict[str, Any]


class NeuronLine(NeuronRecordPublic):
    """One neuron of the export: the neuron read's body, tagged."""

    type: Literal["neuron"] = "neuron"


class Upload(WireModel):
    """A stored upload, to be named by an import."""

    upload: str = Field(description="The SHA-256 of the uploaded bytes: pass it to an import.")
    bytes: int
    expires_in_s: int = Field(description="The upload is deleted after this many seconds.")


class ImportRequest(StrictModel):
    """Bring exported or published neuron records and explanations into this server."""

    model: ModelName = Field(
        description="The model the neurons belong to. A model this server does not have may be "
        "named: its imported neurons can then be read, searched and re-scored, not recorded."
    )
    format: ImportFormat = Field(strict=False)
    upload: str = Field(pattern=r"^[0-9a-f]{64}$", description="From POST /v1/uploads.")


class ImportResult(WireModel):
    """What an import stored."""

    kind: Literal["import"] = "import"
    model: str
    scan_id: str | None = Field(description="The scan holding imported records, if any.")
    layers: list[int]
    neurons: int = Field(description="Neurons with an imported record or result.")
    records: int
    results: int = Field(description="Explanations and scores stored.")


# neuron-explainer's dataclasses, for reading their files: fields as their code declares them
# (neuron_explainer/activations/activations.py, explanations/explanations.py); unknown fields
# (added in later versions) are ignored.


class _Theirs(BaseModel):
    model_config = ConfigDict(extra="ignore")

    dataclass_name: str | None = None


class TheirActivationRecord(_Theirs):
    tokens: list[str]
    activations: list[float]


class TheirNeuronId(_Theirs):
    layer_index: int = Field(ge=0, le=100_000)
    neuron_index: int = Field(ge=0, le=10_000_000)


class TheirNeuronRecord(_Theirs):
    neuron_id: TheirNeuronId
    random_sample: list[TheirActivationRecord] = []
    random_sample_by_quantile: list[list[TheirActivationRecord]] | None = None
    quantile_boundaries: list[float] | None = None
    mean: float | None = None
    variance: float | None = None
    skewness: float | None = None
    kurtosis: float | None = None
    most_positive_activation_records: list[TheirActivationRecord] = []


class TheirScoredSimulation(_Theirs):
    ev_correlation_score: float | None = None


class TheirScoredExplanation(_Theirs):
    explanation: str = Field(max_length=2000)
    scored_simulation: TheirScoredSimulation | None = None


class TheirSimulationResults(_Theirs):
    neuron_id: TheirNeuronId
    scored_explanations: list[TheirScoredExplanation]


def tagged(name: str, **fields: Any) -> dict[str, Any]:
    """A neuron-explainer dataclass as their `dumps` writes it."""
    return {"dataclass_name": name, **fields}
