"""Every asynchronous operation's submit route."""

from fastapi import APIRouter

from autointerp.api.submit import add_submit_route
from autointerp.schemas.activations import ActivationsRequest, ScanRequest
from autointerp.schemas.operations import OperationKind
from autointerp.schemas.tokenization import TokenizationRequest

router = APIRouter(prefix="/v1")

add_submit_route(
    router, "/tokenizations", OperationKind.tokenization, TokenizationRequest,
    "createTokenization", "Split texts into a subject model's tokens, with character offsets.",
)  # fmt: skip
add_submit_route(
    router, "/activations", OperationKind.activations, ActivationsRequest, "createActivations",
    "Run texts through a model and record chosen MLP neurons of one layer at every token.",
)  # fmt: skip
add_submit_route(
    router, "/scans", OperationKind.scan, ScanRequest, "createScan",
    "One pass over a corpus that builds every selected neuron's record (top, bottom and "
    "random excerpts, moments); records are then read per neuron under /v1/models.",
)  # fmt: skip
