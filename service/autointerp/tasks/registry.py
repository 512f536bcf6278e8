"""Every operation kind's handler, looked up by kind (one registry, no if/elif chains)."""

from __future__ import annotations

from typing import Any

from autointerp.schemas.operations import OperationKind
from autointerp.tasks.activations import ACTIVATIONS, SCAN
from autointerp.tasks.base import OperationHandler
from autointerp.tasks.batches import BATCH
from autointerp.tasks.explanations import EXPLANATION, SCORE, SIMULATION
from autointerp.tasks.tokenization import TOKENIZATION

HANDLERS: dict[OperationKind, OperationHandler[Any, Any]] = {
    handler.kind: handler
    for handler in (TOKENIZATION, ACTIVATIONS, SCAN, EXPLANATION, SIMULATION, SCORE, BATCH)
}
