"""An in-process memo of a local model's calls, for benches and tests that ask the same thing
twice (the gold checks simulate each explanation once to score it, once to compare it). The
service caches in Redis instead (llm.cache)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from autointerp.interp.ports import (
    AnswerLogprobsResult,
    ChatParameters,
    ChatResult,
    PromptLogprobsResult,
)
from autointerp.interp.prompts import ChatMessage
from autointerp.llm.transformers_backend import LocalCausalModel


class MemoizedModel:
    """A local model whose identical calls are answered from memory."""

    supports_prompt_logprobs = True
    supports_answer_logprobs = True

    def __init__(self, inner: LocalCausalModel) -> None:
        self.inner = inner
        self._seen: dict[Any, Any] = {}

    async def chat(self, messages: Sequence[ChatMessage], parameters: ChatParameters) -> ChatResult:
        """As the model's, once per distinct call."""
        key = ("chat", tuple(messages), parameters)
        if key not in self._seen:
            self._seen[key] = await self.inner.chat(messages, parameters)
        result: ChatResult = self._seen[key]
        return result

    async def prompt_logprobs(
        self, prompt: str, *, top_logprobs: int = 10, include: Sequence[str] = ()
    ) -> PromptLogprobsResult:
        """As the model's, once per distinct call."""
        key = ("prompt", prompt, top_logprobs, tuple(include))
        if key not in self._seen:
            self._seen[key] = await self.inner.prompt_logprobs(
                prompt, top_logprobs=top_logprobs, include=include
            )
        result: PromptLogprobsResult = self._seen[key]
        return result

    async def answer_logprobs(
        self, chats: Sequence[Sequence[ChatMessage]], candidates: Sequence[str]
    ) -> AnswerLogprobsResult:
        """As the model's, once per distinct call."""
        key = ("answer", tuple(tuple(c) for c in chats), tuple(candidates))
        if key not in self._seen:
            self._seen[key] = await self.inner.answer_logprobs(chats, candidates)
        result: AnswerLogprobsResult = self._seen[key]
        return result
