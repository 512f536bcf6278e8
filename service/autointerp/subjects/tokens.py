"""Splitting a text into a subject model's tokens, each with its character span."""

from __future__ import annotations

from transformers import PreTrainedTokenizerBase

from autointerp.interp.records import TokenizedText


def tokenize(tokenizer: PreTrainedTokenizerBase, text: str) -> TokenizedText:
    """The text's tokens without special tokens (what recording and simulation align to)."""
    encoded = tokenizer(text, add_special_tokens=False, return_offsets_mapping=True)
    offsets = [(int(start), int(end)) for start, end in encoded["offset_mapping"]]
    return TokenizedText(
        token_ids=[int(i) for i in encoded["input_ids"]],
        tokens=[text[start:end] for start, end in offsets],
        offsets=offsets,
    )
