"""Tokenization: split texts into a subject model's tokens, with character offsets."""

from __future__ import annotations

import asyncio

from autointerp.schemas.conversions import tokenized_out
from autointerp.schemas.operations import OperationKind, Resolved
from autointerp.schemas.tokenization import TokenizationRequest, TokenizationResult
from autointerp.subjects.tokens import tokenize
from autointerp.tasks.base import OperationContext, Runner


async def _run(
    resolved: Resolved[TokenizationRequest], context: OperationContext
) -> TokenizationResult:
    request, revision = resolved.request, str(resolved.pins.model_revision)
    models = context.runtime.models
    models.check_revision(request.model, revision)
    # Loading a tokenizer reads files: keep it off the event loop.
    tokenizer = await asyncio.to_thread(models.tokenizer, request.model)
    texts = [tokenized_out(tokenize(tokenizer, text)) for text in request.texts]
    return TokenizationResult(model=request.model, model_revision=revision, texts=texts)


TOKENIZATION = Runner(kind=OperationKind.tokenization, run=_run)
