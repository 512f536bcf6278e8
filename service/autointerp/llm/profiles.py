"""The configured LLM profiles: what a request may name, what each can do, and what about it
determines outputs. Server configuration only, never the request; builds no model (that is
`llm.backends`, on workers), so a submitting process can check requests without torch.

What determines an OpenAI-compatible profile's outputs includes the model its server runs,
which its URL does not name: GET {base_url}/models is read once per process for what the
server says of the model (id, owner, creation time, llama.cpp's model metadata), and the
operator's `revision` covers what no server reports."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import httpx

from autointerp.config import LLMProfile
from autointerp.interp.errors import InvalidRequest
from autointerp.store.identity import canonical_json
from autointerp.subjects.catalog import ModelCatalog

OPENAI_ADAPTER = "2"
"""Bump when the openai backend reads the same answers differently (2: echoed prompt logprobs
realigned, as many top tokens asked for as the server allows): results and cache entries of
the old reading are then never served."""
LISTING_TIMEOUT_S = 5.0
"""GET /models is answered from memory: a server that takes longer is counted unreadable."""
UNREADABLE_RETRY_S = 30.0
"""After a failed GET /models, read it again no sooner than this."""
_STAMPS_NOW = {"llamacpp", "vllm", "sglang"}
"""Servers (by `owned_by`) whose `created` is the time of the request, not of the model."""
_RECENT_S = 600.0
_LISTED = ("id", "owned_by", "root", "parent")
_RUNTIME_META = {"n_ctx"}
"""llama.cpp `meta` fields that are the server's settings, not the model's."""
SERVER_MODEL = "server_model"
"""The identity's key for what the server reports; read per process, not configuration."""


def describe_listed_model(listing: Any, model: str, now: float) -> str:
    """What a GET /models answer says of `model` (the entry with its id, else the only one),
    as canonical JSON, leaving out what changes from one request to the next."""
    data = listing.get("data") if isinstance(listing, dict) else None
    if not isinstance(data, list):
        return "no model listing (an unreadable answer)"
    entries = [entry for entry in data if isinstance(entry, dict)]
    chosen = next((entry for entry in entries if entry.get("id") == model), None)
    if chosen is None and len(entries) == 1:
        chosen = entries[0]  # a single-model server answers to any name (llama.cpp's)
    if chosen is None:
        return "not listed"
    kept: dict[str, Any] = {key: chosen[key] for key in _LISTED if chosen.get(key) is not None}
    created = chosen.get("created")
    stable = chosen.get("owned_by") not in _STAMPS_NOW
    if isinstance(created, int | float) and stable and abs(now - created) > _RECENT_S:
        kept["created"] = created
    meta = chosen.get("meta")
    if isinstance(meta, dict):
        kept["meta"] = {key: value for key, value in meta.items() if key not in _RUNTIME_META}
    return canonical_json(kept)


def configured_identity(identity: dict[str, str | None]) -> dict[str, str | None]:
    """An identity without what was read from the server (hosts must agree on the rest)."""
    return {key: value for key, value in identity.items() if key != SERVER_MODEL}


@dataclass(frozen=True)
class Capabilities:
    """What a profile's backend offers the explainers and simulators."""

    has_model: bool
    """False for the lexical backend, which needs no language model at all."""
    prompt_logprobs: bool
    """Logprobs of prompt tokens, which the all-at-once simulator reads."""
    answer_logprobs: bool = False
    """Any token's log probability as an answer's first token, read from the logits (a
    local model), which the binary simulator reads."""


class LLMProfiles:
    """Looks up profiles by name."""

    def __init__(
        self,
        profiles: dict[str, LLMProfile],
        catalog: ModelCatalog,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        """`transport`: for GET /models (tests pass a mock one)."""
        self.profiles = profiles
        self.catalog = catalog
        self.transport = transport
        self._server_models: dict[str, tuple[str | None, float]] = {}

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
            answer_logprobs=profile.backend == "transformers",
        )

    def identity(self, name: str) -> dict[str, str | None]:
        """What about a profile's configuration affects outputs (not its key or limits). For
        an OpenAI-compatible server, `pinned_identity` adds what the server reports."""
        profile = self.profile(name)
        identity: dict[str, str | None] = {"backend": profile.backend, "model": profile.model}
        if profile.backend == "transformers":
            identity["revision"] = self.catalog.revision(profile.model)
        elif profile.backend == "openai":
            identity["base_url"] = profile.base_url
            identity["revision"] = profile.revision
            identity["adapter"] = OPENAI_ADAPTER
            identity["top_logprobs"] = (
                str(profile.top_logprobs) if profile.prompt_logprobs else None
            )
        return identity

    async def pinned_identity(self, name: str) -> dict[str, str | None]:
        """`identity` and, for an OpenAI-compatible server, what it reports of its model
        (None when it could not be read): what an operation is pinned to at submit."""
        identity = self.identity(name)
        if self.profile(name).backend == "openai":
            identity[SERVER_MODEL] = await self.server_model(name)
        return identity

    async def server_model(self, name: str) -> str | None:
        """What the profile's server reports of its model, read once per process (a failed
        read is tried again after UNREADABLE_RETRY_S); None for other backends, or when the
        server did not answer."""
        profile = self.profile(name)
        if profile.backend != "openai":
            return None
        known = self._server_models.get(name)
        if known is not None and (
            known[0] is not None or time.monotonic() - known[1] < UNREADABLE_RETRY_S
        ):
            return known[0]
        described = await self._read_listing(profile)
        self._server_models[name] = (described, time.monotonic())
        return described

    async def _read_listing(self, profile: LLMProfile) -> str | None:
        base = (profile.base_url or "https://api.openai.com/v1").rstrip("/")
        headers = {}
        if profile.api_key is not None:
            headers["Authorization"] = f"Bearer {profile.api_key.get_secret_value()}"
        try:
            async with httpx.AsyncClient(
                transport=self.transport, timeout=LISTING_TIMEOUT_S
            ) as client:
                response = await client.get(f"{base}/models", headers=headers)
        except httpx.HTTPError:
            return None
        if response.status_code == 429 or response.status_code >= 500:
            return None
        if response.status_code >= 400:  # a server without the route answers the same way
            return f"no model listing (HTTP {response.status_code})"
        try:
            listing = response.json()
        except ValueError:
            return "no model listing (not JSON)"
        return describe_listed_model(listing, profile.model, time.time())
