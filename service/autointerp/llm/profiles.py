"""The configured LLM profiles: what a request may name, what each can do, and what about it
determines outputs. Server configuration only, never the request; builds no model (that is
`llm.backends`, on workers), so a submitting process can check requests without torch."""

from __future__ import annotations

from dataclasses import dataclass

from autointerp.config import LLMProfile
from autointerp.interp.errors import InvalidRequest
from autointerp.subjects.catalog import ModelCatalog


@dataclass(frozen=True)
class Capabilities:
    """What a profile's backend offers the explainers and simulators."""

    has_model: bool
    """False for the lexical backend, which needs no language model at all."""
    prompt_logprobs: bool
    """Logprobs of prompt tokens, which the all-at-once simulator reads."""


class LLMProfiles:
    """Looks up profiles by name."""

    def __init__(self, profiles: dict[str, LLMProfile], catalog: ModelCatalog) -> None:
        self.profiles = profiles
        self.catalog = catalog

    def profile(self, name: str) -> LLMProfile:
        """The named profile, or a 422 listing the configured ones."""
        try:
            return self.profiles[name]
        except KeyError:
            raise InvalidRequest(
                f"unknown LLM profile {name!r}; configured profiles: {sorted(self.profiles)}",
                allowed=sorted(self.profiles),
            ) from None

    def capabilities(self, name: str) -> Capabilities:
        """What the named profile's backend can do."""
        profile = self.profile(name)
        if profile.backend == "lexical":
            return Capabilities(has_model=False, prompt_logprobs=False)
        # A local model's logits are at hand; an endpoint returns prompt logprobs if told so.
        return Capabilities(
            has_model=True,
            prompt_logprobs=profile.backend == "transformers" or profile.prompt_logprobs,
        )

    def identity(self, name: str) -> dict[str, str | None]:
        """What about a profile affects outputs (not its key or limits)."""
        profile = self.profile(name)
        identity: dict[str, str | None] = {"backend": profile.backend, "model": profile.model}
        if profile.backend == "transformers":
            identity["revision"] = self.catalog.revision(profile.model)
        elif profile.backend == "openai":
            identity["base_url"] = profile.base_url
        return identity
