"""Tokenization: split texts into a subject model's tokens, with character offsets."""

from __future__ import annotations

import asyncio
from typing import Any

from autointerp.runtime import Runtime
from autointerp.schemas.operations import OperationKind
from autointerp.schemas.tokenization import TokenizationRequest, TokenizationResult, TokenizedText
from autointerp.tasks.base import OperationContext, OperationHandler, Queue


async def _identity(request: TokenizationRequest, runtime: Runtime) -> dict[str, Any]:
    return {"model_revision": runtime.models.source(request.model).revision}


async def _run(request: TokenizationRequest, context: OperationContext) -> TokenizationResult:
    models = context.runtime.models
    # Loading a tokenizer reads files: keep it off the event loop.
    tokenizer = await asyncio.to_thread(models.tokenizer, request.model)
    texts = []
    for text in request.texts:
        encoded = tokenizer(text, add_special_tokens=False, return_offsets_mapping=True)
        offsets = [(int(start), int(end)) for start, end in encoded["offset_mapping"]]
        texts.append(
            TokenizedText(
                token_ids=list(encoded["input_ids"]),
                tokens=[text[start:end] for start, end in offsets],
                offsets=offsets,
            )
        )
    return TokenizationResult(
        model=request.model, model_revision=models.source(request.model).revision, texts=texts
    )


TOKENIZATION = OperationHandler(
    kind=OperationKind.tokenization,
    queue=Queue.model,
    request_model=TokenizationRequest,
    identity=_identity,
    run=_run,
)
