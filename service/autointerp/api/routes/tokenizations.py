"""POST /v1/tokenizations: split texts into a model's tokens (an asynchronous operation)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from autointerp.api.deps import BrokersDep, RuntimeDep
from autointerp.api.problems import PROBLEM_RESPONSES
from autointerp.api.submit import accepted
from autointerp.ops.submission import submit_operation
from autointerp.schemas.operations import Operation, OperationKind
from autointerp.schemas.tokenization import TokenizationRequest

router = APIRouter(prefix="/v1/tokenizations", tags=["tokenizations"])


@router.post(
    "",
    operation_id="createTokenization",
    status_code=202,
    response_model=Operation,
    responses={200: {"model": Operation, "description": "Already finished."}, **PROBLEM_RESPONSES},
)
async def create_tokenization(
    body: TokenizationRequest, runtime: RuntimeDep, brokers: BrokersDep, response: Response
) -> Operation:
    """Tokenize texts with a subject model's tokenizer."""
    operation, _ = await submit_operation(OperationKind.tokenization, body, runtime, brokers)
    return accepted(operation, response)
