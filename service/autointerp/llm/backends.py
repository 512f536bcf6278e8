"""Building the LanguageModel behind a named profile, once per process (workers only)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from redis.asyncio import Redis

from autointerp.interp.ports import LanguageModel
from autointerp.llm.cache import CachedLanguageModel
from autointerp.llm.openai_backend import OpenAICompatibleModel
from autointerp.llm.profiles import LLMProfiles
from autointerp.llm.transformers_backend import LocalCausalModel
from autointerp.subjects.loading import ModelLoader


class LanguageModels:
    """One (cached) LanguageModel per profile, built on first use."""

    def __init__(
        self, profiles: LLMProfiles, loader: ModelLoader, redis: Redis, prefix: str
    ) -> None:
        self.profiles = profiles
        self.loader = loader
        self.redis = redis
        self.prefix = prefix
        self._built: dict[str, LanguageModel | None] = {}

    def get(self, name: str) -> LanguageModel | None:
        """The profile's model; None for the lexical backend (no model at all)."""
        if name not in self._built:
            profile = self.profiles.profile(name)
            inner: LanguageModel | None
            if profile.backend == "lexical":
                inner = None
            elif profile.backend == "transformers":
                inner = LocalCausalModel(self.loader, profile.model)
            else:
                inner = OpenAICompatibleModel(profile)
            self._built[name] = (
                CachedLanguageModel(
                    inner,
                    self.redis,
                    self.profiles.identity(name),
                    self.prefix,
                    server=self._server_model(name) if profile.backend == "openai" else None,
                )
                if inner is not None
                else None
            )
        return self._built[name]

    def _server_model(self, name: str) -> Callable[[], Awaitable[str | None]]:
        async def read() -> str | None:
            return await self.profiles.server_model(name)

        return read
