"""The LLM-call cache in Redis: deterministic calls only, successes only.

The key is the SHA-256 of the canonical JSON of everything that affects the output: the
profile's backend and model, the messages or prompt, sampling and logprob settings, and the
prompt version. A cache hit costs no tokens and is counted as a cached call.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from typing import Any

from redis.asyncio import Redis

from autointerp.interp.ports import (
    ChatChoice,
    ChatParameters,
    ChatResult,
    LanguageModel,
    PromptLogprobsResult,
    PromptToken,
    TokenLogprobs,
    Usage,
)
from autointerp.interp.prompts import PROMPT_VERSION, ChatMessage
from autointerp.store.identity import content_hash, namespace

CACHE_TTL_S = 30 * 24 * 3600


def _chat_from_json(data: dict[str, Any]) -> ChatResult:
    choices = [
        ChatChoice(c["text"], [TokenLogprobs(**t) for t in c["tokens"]] if c["tokens"] else None)
        for c in data["choices"]
    ]
    return ChatResult(choices, Usage(**data["usage"]))


def _prompt_from_json(data: dict[str, Any]) -> PromptLogprobsResult:
    return PromptLogprobsResult([PromptToken(**t) for t in data["tokens"]], Usage(**data["usage"]))


def _cached_usage(usage: Usage) -> Usage:
    return Usage(calls=1, cached_calls=1) if usage.calls else usage


class CachedLanguageModel:
    """Wraps a LanguageModel; identical deterministic calls are answered from Redis."""

    def __init__(
        self, inner: LanguageModel, redis: Redis, identity: dict[str, Any], prefix: str
    ) -> None:
        self.inner = inner
        self.redis = redis
        self.identity = identity
        self.namespace = namespace(prefix)

    @property
    def supports_prompt_logprobs(self) -> bool:
        """As the wrapped model."""
        return self.inner.supports_prompt_logprobs

    def _key(self, call: dict[str, Any]) -> str:
        digest = content_hash({"model": self.identity, "prompt_version": PROMPT_VERSION, **call})
        return f"{self.namespace}:llm:{digest}"

    async def _get(self, key: str) -> dict[str, Any] | None:
        raw = await self.redis.get(key)
        return json.loads(raw) if raw is not None else None

    async def _put(self, key: str, value: Any) -> None:
        await self.redis.set(key, json.dumps(dataclasses.asdict(value)), ex=CACHE_TTL_S)

    async def chat(self, messages: Sequence[ChatMessage], parameters: ChatParameters) -> ChatResult:
        """Cached when greedy (temperature 0); sampled calls always go to the model."""
        if not parameters.deterministic:
            return await self.inner.chat(messages, parameters)
        key = self._key(
            {"chat": [dataclasses.asdict(m) for m in messages], **dataclasses.asdict(parameters)}
        )
        cached = await self._get(key)
        if cached is not None:
            result = _chat_from_json(cached)
            return dataclasses.replace(result, usage=_cached_usage(result.usage))
        result = await self.inner.chat(messages, parameters)
        await self._put(key, result)
        return result

    async def prompt_logprobs(
        self, prompt: str, *, top_logprobs: int = 10, include: Sequence[str] = ()
    ) -> PromptLogprobsResult:
        """Always deterministic, so always cached."""
        key = self._key({"prompt": prompt, "top_logprobs": top_logprobs, "include": list(include)})
        cached = await self._get(key)
        if cached is not None:
            result = _prompt_from_json(cached)
            return dataclasses.replace(result, usage=_cached_usage(result.usage))
        result = await self.inner.prompt_logprobs(
            prompt, top_logprobs=top_logprobs, include=include
        )
        await self._put(key, result)
        return result
