"""The LLM-call cache in Redis: deterministic calls only, successes only.

The key is the SHA-256 of the canonical JSON of everything that affects the output: the
profile's identity (backend, model, and for a server what it reports of its model and the
operator's `revision`), the messages or prompt, sampling and logprob settings, and the prompt
version. A cache hit costs no tokens and is counted as a cached call.

Keys are `<namespace>:llm:<version>:<digest>`, the version a hash of the identity and prompt
version, listed with what it stands for in `<namespace>:llm-versions`: `cache_versions` and
`clear_cache` (the `autointerp llm-cache` command) list and drop one version's entries.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from redis.asyncio import Redis

from autointerp.interp.ports import (
    AnswerLogprobsResult,
    AnswerScorer,
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
from autointerp.store.identity import canonical_json, content_hash, namespace

CACHE_TTL_S = 30 * 24 * 3600
_SCAN_BATCH = 1000


@dataclasses.dataclass(frozen=True)
class CacheVersion:
    """One version of the LLM cache: the identity its entries were computed under."""

    version: str
    identity: str
    """Canonical JSON of the model identity and prompt version."""
    entries: int


def _versions_key(prefix: str) -> str:
    return f"{namespace(prefix)}:llm-versions"


async def _entry_keys(redis: Redis, pattern: str) -> list[Any]:
    return [key async for key in redis.scan_iter(match=pattern, count=_SCAN_BATCH)]


async def cache_versions(redis: Redis, prefix: str) -> list[CacheVersion]:
    """Every version the cache has held (since its entries were last cleared), with how many
    entries each still has (they expire after CACHE_TTL_S)."""
    found = []
    listed = await redis.hgetall(_versions_key(prefix))
    for raw_version, raw_identity in sorted(listed.items()):
        version = raw_version.decode() if isinstance(raw_version, bytes) else raw_version
        identity = raw_identity.decode() if isinstance(raw_identity, bytes) else raw_identity
        keys = await _entry_keys(redis, f"{namespace(prefix)}:llm:{version}:*")
        found.append(CacheVersion(version, identity, len(keys)))
    return found


async def clear_cache(redis: Redis, prefix: str, version: str | None = None) -> int:
    """Drop one version's entries, or (None) every LLM cache entry, including those of keys
    older than versions; returns how many were dropped."""
    pattern = f"{namespace(prefix)}:llm:{version}:*" if version else f"{namespace(prefix)}:llm:*"
    keys = await _entry_keys(redis, pattern)
    for start in range(0, len(keys), _SCAN_BATCH):
        await redis.delete(*keys[start : start + _SCAN_BATCH])
    if version:
        await redis.hdel(_versions_key(prefix), version)
    else:
        await redis.delete(_versions_key(prefix))
    return len(keys)


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
        self,
        inner: LanguageModel,
        redis: Redis,
        identity: dict[str, Any],
        prefix: str,
        *,
        server: Callable[[], Awaitable[str | None]] | None = None,
    ) -> None:
        """`server`: what the model's server reports of its model (`LLMProfiles.
        server_model`), part of the key; while it returns None calls bypass the cache."""
        self.inner = inner
        self.redis = redis
        self.identity = identity
        self.server = server
        self.prefix = prefix
        self.namespace = namespace(prefix)
        self._registered: set[str] = set()

    @property
    def supports_prompt_logprobs(self) -> bool:
        """As the wrapped model."""
        return self.inner.supports_prompt_logprobs

    @property
    def supports_answer_logprobs(self) -> bool:
        """As the wrapped model (the binary simulator's calls)."""
        return bool(getattr(self.inner, "supports_answer_logprobs", False))

    async def _version(self) -> str | None:
        identity = dict(self.identity)
        if self.server is not None:
            described = await self.server()
            if described is None:  # the server's model is unknown: nothing to key on
                return None
            identity["server_model"] = described
        what = {"model": identity, "prompt_version": PROMPT_VERSION}
        version = content_hash(what)[:16]
        if version not in self._registered:
            await self.redis.hset(_versions_key(self.prefix), version, canonical_json(what))
            self._registered.add(version)
        return version

    async def _key(self, call: dict[str, Any]) -> str | None:
        version = await self._version()
        if version is None:
            return None
        return f"{self.namespace}:llm:{version}:{content_hash({'version': version, **call})}"

    async def _get(self, key: str | None) -> dict[str, Any] | None:
        raw = await self.redis.get(key) if key is not None else None
        return json.loads(raw) if raw is not None else None

    async def _put(self, key: str | None, value: Any) -> None:
        if key is not None:
            await self.redis.set(key, json.dumps(dataclasses.asdict(value)), ex=CACHE_TTL_S)

    async def chat(self, messages: Sequence[ChatMessage], parameters: ChatParameters) -> ChatResult:
        """Cached when greedy (temperature 0); sampled calls always go to the model."""
        if not parameters.deterministic:
            return await self.inner.chat(messages, parameters)
        key = await self._key(
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
        key = await self._key(
            {"prompt": prompt, "top_logprobs": top_logprobs, "include": list(include)}
        )
        cached = await self._get(key)
        if cached is not None:
            result = _prompt_from_json(cached)
            return dataclasses.replace(result, usage=_cached_usage(result.usage))
        result = await self.inner.prompt_logprobs(
            prompt, top_logprobs=top_logprobs, include=include
        )
        await self._put(key, result)
        return result

    async def answer_logprobs(
        self, chats: Sequence[Sequence[ChatMessage]], candidates: Sequence[str]
    ) -> AnswerLogprobsResult:
        """Always deterministic, so always cached (the wrapped model must be an AnswerScorer:
        see `supports_answer_logprobs`)."""
        inner: AnswerScorer = self.inner  # type: ignore[assignment]
        key = await self._key(
            {
                "answer": [[dataclasses.asdict(m) for m in chat] for chat in chats],
                "candidates": list(candidates),
            }
        )
        cached = await self._get(key)
        if cached is not None:
            result = AnswerLogprobsResult(cached["logprobs"], Usage(**cached["usage"]))
            return dataclasses.replace(result, usage=_cached_usage(result.usage))
        result = await inner.answer_logprobs(chats, candidates)
        await self._put(key, result)
        return result
