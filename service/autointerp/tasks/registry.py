"""Every operation kind's runner, looked up by kind (one registry, no if/elif chains)."""

from __future__ import annotations

from typing import Any

from autointerp.schemas.operations import OperationKind
from autointerp.tasks.activations import ACTIVATIONS
from autointerp.tasks.base import Runner
from autointerp.tasks.batches import BATCH
from autointerp.tasks.explanations import EXPLANATION, SCORE, SIMULATION
from autointerp.tasks.imports import IMPORT
from autointerp.tasks.neuron_search import NEURON_SEARCH
from autointerp.tasks.scans import SCAN
from autointerp.tasks.tokenization import TOKENIZATION

RUNNERS: dict[OperationKind, Runner[Any, Any]] = {
    runner.kind: runner
    for runner in (
        TOKENIZATION,
        ACTIVATIONS,
        SCAN,
        EXPLANATION,
        SIMULATION,
        SCORE,
        BATCH,
        NEURON_SEARCH,
        IMPORT,
    )
}
