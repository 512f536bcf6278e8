"""The port the method needs from a language model, and the typed results it returns.

Adapters in `autointerp.llm` implement it (OpenAI-compatible HTTP, a local transformers
model); the core never sees provider JSON.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from autointerp.interp.prompts import ChatMessage


@dataclass(frozen=True)
class Usage:
    """Tokens one call (or several, summed) spent."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    calls: int = 0
    cached_calls: int = 0

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            self.prompt_tokens + other.prompt_tokens,
            self.completion_tokens + other.completion_tokens,
            self.calls + other.calls,
            self.cached_calls + other.cached_calls,
        )

    @property
    def total_tokens(self) -> int:
        """Prompt plus completion tokens."""
        return self.prompt_tokens + self.completion_tokens


@dataclass(frozen=True)
class ChatParameters:
    """How to sample a chat completion: everything but the messages."""

    n: int = 1
    temperature: float = 0.0
    max_tokens: int = 256
    top_logprobs: int = 0
    """Per generated token, this many most likely alternatives (0: no logprobs)."""
    json_mode: bool = False
    seed: int | None = None
    """The sampling seed, where the backend takes one (an OpenAI-compatible server's `seed`,
    best effort there; a local model's generator); None: the backend's own randomness."""

    @property
    def deterministic(self) -> bool:
        """Greedy decoding: the same messages always give the same completion."""
        return self.temperature == 0


@dataclass(frozen=True)
class TokenLogprobs:
    """One token of a text with the model's most likely alternatives at its position."""

    text: str
    top: dict[str, float] = field(default_factory=dict)
    """Token text -> log probability, for the most likely tokens at this position."""


@dataclass(frozen=True)
class ChatChoice:
    """One sampled completion."""

    text: str
    tokens: list[TokenLogprobs] | None = None
    """Per generated token, when logprobs were asked for."""


@dataclass(frozen=True)
class ChatResult:
    """A chat completion: its samples and what it cost."""

    choices: list[ChatChoice]
    usage: Usage


@dataclass(frozen=True)
class PromptToken:
    """A prompt token, its character offset, and the distribution predicted at it."""

    text: str
    offset: int
    top: dict[str, float]


@dataclass(frozen=True)
class PromptLogprobsResult:
    """Logprobs of every prompt token, from one forward pass."""

    tokens: list[PromptToken]
    usage: Usage


class LanguageModel(Protocol):
    """What explainers and simulators call."""

    @property
    def supports_prompt_logprobs(self) -> bool:
        """Whether `prompt_logprobs` works (all-at-once simulation)."""
        ...

    async def chat(self, messages: Sequence[ChatMessage], parameters: ChatParameters) -> ChatResult:
        """Sample `parameters.n` chat completions."""
        ...

    async def prompt_logprobs(
        self, prompt: str, *, top_logprobs: int = 10, include: Sequence[str] = ()
    ) -> PromptLogprobsResult:
        """The distribution predicted at every prompt token: its top tokens, plus the tokens
        in `include` where the backend can report any token (a local model can; the legacy
        completions API reports its top 5 only)."""
        ...


@dataclass(frozen=True)
class AnswerLogprobsResult:
    """Per chat, the log probability of each candidate as the first token of the answer."""

    logprobs: list[dict[str, float]]
    usage: Usage


class AnswerScorer(Protocol):
    """A model that reads the distribution of an answer's first token straight from its
    logits (a local model; an HTTP chat API gives at most its top few tokens). The binary
    simulator needs it."""

    async def answer_logprobs(
        self, chats: Sequence[Sequence[ChatMessage]], candidates: Sequence[str]
    ) -> AnswerLogprobsResult:
        """For each chat (ending with a user message), the log probability of each candidate's
        first token opening the assistant's answer. Chats that share a beginning are cheaper
        (a backend may compute their common prefix once)."""
        ...
