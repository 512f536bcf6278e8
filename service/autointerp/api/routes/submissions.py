"""Every asynchronous operation's submit route."""

from fastapi import APIRouter

from autointerp.api.submit import add_submit_route
from autointerp.schemas.activations import ActivationsRequest, ScanRequest
from autointerp.schemas.batches import BatchRequest
from autointerp.schemas.exchange import ImportRequest
from autointerp.schemas.explanations import ExplanationRequest, ScoreRequest, SimulationRequest
from autointerp.schemas.neuron_search import NeuronSearchRequest
from autointerp.schemas.operations import OperationKind
from autointerp.schemas.tokenization import TokenizationRequest

router = APIRouter(prefix="/v1")

add_submit_route(
    router,
    "/tokenizations",
    OperationKind.tokenization,
    TokenizationRequest,
    "createTokenization",
    "Split texts into a subject model's tokens, with character offsets.",
)
add_submit_route(
    router,
    "/activations",
    OperationKind.activations,
    ActivationsRequest,
    "createActivations",
    "Run texts through a model and record chosen MLP neurons of one layer at every token.",
)
add_submit_route(
    router,
    "/scans",
    OperationKind.scan,
    ScanRequest,
    "createScan",
    "One pass over a corpus that builds every selected neuron's record (top, bottom and "
    "random excerpts, moments); records are then read per neuron under /v1/models.",
)
add_submit_route(
    router,
    "/explanations",
    OperationKind.explanation,
    ExplanationRequest,
    "createExplanation",
    "Explain a neuron from its top excerpts (best-of-k, each candidate scored on the valid "
    "split; the best re-scored on test).",
)
add_submit_route(
    router,
    "/simulations",
    OperationKind.simulation,
    SimulationRequest,
    "createSimulation",
    "Predict a neuron's activation (0-10) at every token from an explanation alone.",
)
add_submit_route(
    router,
    "/scores",
    OperationKind.score,
    ScoreRequest,
    "createScore",
    "Score an explanation: correlate simulated with real activations (top-and-random and "
    "random-only, with calibration).",
)
add_submit_route(
    router,
    "/batches",
    OperationKind.batch,
    BatchRequest,
    "createBatch",
    "Explain and score many neurons of a layer (a list, or all of them) as one parent "
    "operation whose progress counts its children; results land per neuron.",
)
add_submit_route(
    router,
    "/neuron-searches",
    OperationKind.neuron_search,
    NeuronSearchRequest,
    "createNeuronSearch",
    "Which neurons fire on a text: run it through a model and find, at each token and over "
    "the whole text, the MLP neurons of the chosen layers (default all) that activate most, "
    "each with its best cached explanation.",
)
add_submit_route(
    router,
    "/imports",
    OperationKind.import_,
    ImportRequest,
    "createImport",
    "Import an uploaded file (POST /v1/uploads): our export, or neuron-explainer's collated "
    "activations and explanations, all or nothing; imported explanations are searchable and "
    "imported records re-scorable.",
)
