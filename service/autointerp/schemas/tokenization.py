"""Tokenizing texts with a subject model's tokenizer: the cheapest real operation."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from autointerp.schemas.common import StrictModel, WireModel

MAX_TEXTS = 256
MAX_TEXT_CHARS = 20_000

ModelName = Annotated[
    str, Field(min_length=1, max_length=200, description="A model name from GET /v1/models.")
]
Text = Annotated[str, Field(min_length=1, max_length=MAX_TEXT_CHARS)]


class TokenizationRequest(StrictModel):
    """Texts to split into a model's tokens."""

    model: ModelName
    texts: list[Text] = Field(min_length=1, max_length=MAX_TEXTS)


class TokenizedText(WireModel):
    """One text as tokens, with each token's character span in the text."""

    token_ids: list[int]
    tokens: list[str] = Field(description="Each token's text as it appears in the input.")
    offsets: list[tuple[int, int]] = Field(description="[start, end) character offsets.")


class TokenizationResult(WireModel):
    """The result of a tokenization operation."""

    kind: Literal["tokenization"] = "tokenization"
    model: str
    model_revision: str
    texts: list[TokenizedText]
