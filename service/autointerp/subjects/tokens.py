"""Splitting a text into a subject model's tokens, each with its character span."""

from __future__ import annotations

from dataclasses import dataclass

from transformers import PreTrainedTokenizerBase


@dataclass(frozen=True)
class TokenizedText:
    """A text as token ids, each token's text as it appears in the input, and its span."""

    token_ids: list[int]
    tokens: list[str]
    offsets: list[tuple[int, int]]
    """[start, end) character offsets into the text."""


def tokenize(tokenizer: PreTrainedTokenizerBase, text: str) -> TokenizedText:
    """The text's tokens without special tokens (what recording and simulation align to)."""
    encoded = tokenizer(text, add_special_tokens=False, return_offsets_mapping=True)
    offsets = [(int(start), int(end)) for start, end in encoded["offset_mapping"]]
    return TokenizedText(
        token_ids=[int(i) for i in encoded["input_ids"]],
        tokens=[text[start:end] for start, end in offsets],
        offsets=offsets,
    )
