"""Building a LanguageModel for a named profile (server configuration, never the request)."""

from __future__ import annotations

from typing import Any

from redis.asyncio import Redis

from autointerp.config import LLMProfile
from autointerp.interp.errors import InvalidRequest
from autointerp.interp.ports import LanguageModel
from autointerp.llm.cache import CachedLanguageModel
from autointerp.llm.openai_backend import OpenAICompatibleModel
from autointerp.llm.transformers_backend import LocalCausalModel
from autointerp.subjects.loading import ModelLoader


class LanguageModels:
    """One (cached) LanguageModel per profile, built on first use."""

    def __init__(
        self, profiles: dict[str, LLMProfile], loader: ModelLoader, redis: Redis, prefix: str
    ) -> None:
        self.profiles = profiles
        self.loader = loader
        self.redis = redis
        self.prefix = prefix
        self._built: dict[str, LanguageModel | None] = {}

    def profile(self, name: str) -> LLMProfile:
        """The named profile, or a 4xx-class error listing the configured ones."""
        try:
            return self.profiles[name]
        except KeyError:
            raise InvalidRequest(
                f"unknown LLM profile {name!r}; configured profiles: {sorted(self.profiles)}",
                allowed=sorted(self.profiles),
            ) from None

    def identity(self, name: str) -> dict[str, Any]:
        """What about a profile affects outputs (not its key or limits)."""
        profile = self.profile(name)
        identity: dict[str, Any] = {"backend": profile.backend, "model": profile.model}
        if profile.backend == "transformers":
            identity["revision"] = self.loader.source(profile.model).revision
        elif profile.backend == "openai":
            identity["base_url"] = profile.base_url
        return identity

    def get(self, name: str) -> LanguageModel | None:
        """The profile's model; None for the lexical backend (no model at all)."""
        if name not in self._built:
            profile = self.profile(name)
            inner: LanguageModel | None
            if profile.backend == "lexical":
                inner = None
            elif profile.backend == "transformers":
                inner = LocalCausalModel(self.loader, profile.model)
            else:
                inner = OpenAICompatibleModel(profile)
            self._built[name] = (
                CachedLanguageModel(inner, self.redis, self.identity(name), self.prefix)
                if inner is not None
                else None
            )
        return self._built[name]
