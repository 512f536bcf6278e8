"""Service configuration: one pydantic-settings class, read once at startup and injected."""

from __future__ import annotations

import ipaddress
import json
import os
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

LOCAL_TIMEOUT_S = 600.0
"""Default LLM call timeout for a server on this machine: a 1.5B model on a CPU takes a minute
for one simulation prompt."""
REMOTE_TIMEOUT_S = 60.0


class LLMProfile(BaseModel):
    """A named LLM backend. Requests pick a profile by name; URLs and keys stay server-side."""

    backend: Literal["openai", "transformers", "lexical"]
    model: str = ""
    base_url: str | None = None
    api_key: SecretStr | None = None
    max_concurrency: int = Field(default=4, ge=1, le=256)
    timeout_s: float | None = Field(
        default=None,
        gt=0,
        description="Seconds one call may take. Default: 600 for an `openai` profile whose "
        "base_url is a loopback address (a local server computing a long prompt on a CPU), "
        "else 60.",
    )
    max_retries: int = Field(
        default=5,
        ge=0,
        le=20,
        description="Re-sends after a rate limit (429), a 5xx or a lost connection, with "
        "jittered backoff; timeouts are `timeout_retries`.",
    )
    timeout_retries: int = Field(
        default=0,
        ge=0,
        le=1,
        description="Re-sends after a timeout, with the timeout doubled. Default 0: a server "
        "that timed out may still be working on the call, and a copy would queue behind it.",
    )
    prompt_logprobs: bool = Field(
        default=False,
        description="The endpoint returns prompt logprobs (legacy completions with echo), "
        "which the all-at-once simulator needs: vLLM, llama-cpp-python's server (not "
        "llama.cpp's llama-server, which returns none).",
    )
    top_logprobs: int = Field(
        default=20,
        ge=1,
        le=1000,
        description="Top tokens asked for at every prompt token (the all-at-once simulator "
        "reads the values 0-10 among them). At most what the server allows: vLLM's "
        "--max-logprobs (20 by default); for api.openai.com it is capped at 5.",
    )
    revision: str | None = Field(
        default=None,
        description="The operator's label for what the server runs, bumped when it changes in "
        "a way GET /models does not report (a fixed server, other weights under one name): "
        "part of the LLM cache key and of the identity pinned into operations.",
    )

    @property
    def call_timeout_s(self) -> float:
        """`timeout_s`, or its default: long for a local OpenAI-compatible server."""
        if self.timeout_s is not None:
            return self.timeout_s
        return LOCAL_TIMEOUT_S if self.backend == "openai" and self.is_local else REMOTE_TIMEOUT_S

    @property
    def is_local(self) -> bool:
        """Whether base_url is this machine (a loopback address or `localhost`)."""
        host = urlsplit(self.base_url).hostname if self.base_url else None
        if host is None:
            return False
        if host == "localhost" or host.endswith(".localhost"):
            return True
        try:
            return ipaddress.ip_address(host).is_loopback
        except ValueError:
            return False


class ModelConfig(BaseModel):
    """A subject model the operator adds: where its files are and how to run it."""

    model_config = ConfigDict(extra="forbid")

    source: Literal["folder", "gguf", "hub"]
    location: str = Field(
        min_length=1,
        description="A local transformers folder, a GGUF file, or a hub id, by `source`.",
    )
    revision: str | None = Field(
        default=None,
        description="For `hub`: the commit to load (required: a moving branch would change the "
        "weights under cached results). Local folders and files are identified by a hash of "
        "their weight files.",
    )
    device: str = Field(
        default="auto",
        pattern=r"^(auto|cpu|mps|cuda(:[0-9]+)?)$",
        description="Where the model runs: auto (an accelerator if the worker has one), cpu, "
        "cuda, cuda:N, mps.",
    )
    dtype: Literal["auto", "float32", "bfloat16", "float16"] = Field(
        default="auto", description="Precision the model runs in; auto: float32 on the CPU."
    )
    trust_remote_code: bool = Field(
        default=False, description="Run the model's own code from its folder (off unless set)."
    )
    causal: bool | None = Field(
        default=None,
        description="A causal LM (usable as a local chat model) or an encoder; default: read "
        "from the configuration's `architectures`.",
    )
    description: str = ""

    @model_validator(mode="after")
    def _hub_needs_a_revision(self) -> ModelConfig:
        if self.source == "hub" and not self.revision:
            raise ValueError("a hub model needs `revision`: the commit whose weights to load")
        return self


def _default_profiles() -> dict[str, LLMProfile]:
    return {
        "lexical": LLMProfile(backend="lexical"),
        "local": LLMProfile(backend="transformers", model="smollm2-135m"),
        # The best offline simulator: simulator "binary" on it passes the token-set gold
        # checks (bench/README.md, "Local simulator designs").
        "local-qwen": LLMProfile(backend="transformers", model="qwen2.5-coder-0.5b"),
    }


class RateLimit(BaseModel):
    """A token bucket: up to `burst` requests at once, refilled at `per_minute`."""

    model_config = ConfigDict(extra="forbid")

    burst: int = Field(ge=1)
    per_minute: float = Field(gt=0)


def _default_rate_limits() -> dict[str, RateLimit]:
    return {
        "read": RateLimit(burst=600, per_minute=6000),
        "submit": RateLimit(burst=60, per_minute=600),
        "admin": RateLimit(burst=30, per_minute=120),
    }


class Settings(BaseSettings):
    """Everything configurable, from `AUTOINTERP_*` environment variables or a `.env` file."""

    model_config = SettingsConfigDict(
        env_prefix="AUTOINTERP_", env_file=".env", env_nested_delimiter="__", extra="ignore"
    )

    redis_url: str | None = Field(
        default=None, description="Redis to use; when unset an embedded redis-server is started."
    )
    data_dir: Path = Field(
        default=Path(".autointerp"), description="Embedded Redis data, converted model weights."
    )
    corpora_dir: Path | None = Field(
        default=None,
        description="Corpus files scans may read (default: <data_dir>/corpora; built-ins here).",
    )
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=0, le=65535)
    in_process_worker: bool = Field(
        default=True, description="Run workers inside `serve` (single-process default)."
    )
    auth: bool = Field(
        default=False,
        description="Require an API key (`Authorization: Bearer`, from `autointerp keys "
        "create`) on /v1 routes and /metrics. Off is allowed only on a loopback bind.",
    )
    allow_unauthenticated_remote: bool = Field(
        default=False,
        description="Serve a non-loopback address with auth off (say behind a proxy that "
        "authenticates); without it `serve` refuses to start that way.",
    )
    allowed_hosts: list[str] = Field(
        default_factory=list,
        description="Host header values answered (`api.example.org`, `*.example.org`); empty: "
        "any when auth is on, only loopback names when it is off (against DNS rebinding).",
    )
    rate_limits: dict[str, RateLimit] = Field(
        default_factory=_default_rate_limits,
        description="Per key and route class (read, submit, admin): a token bucket of "
        "`burst` requests refilled at `per_minute`. Applied when auth is on.",
    )
    max_active_operations: int = Field(
        default=4,
        ge=1,
        description="Scans and batches one key may have queued or running at once.",
    )
    llm_tokens_per_day: int = Field(
        default=0,
        ge=0,
        description="LLM tokens (prompt + completion) one key's operations may spend per UTC "
        "day, checked before an explanation, simulation or score runs and charged with what it "
        "spent; 0: no budget. Applied when auth is on.",
    )
    max_request_bytes: int = Field(
        default=16 * 1024 * 1024,
        ge=1024,
        description="Largest request body; a larger one is a 413 before it is parsed.",
    )
    max_upload_bytes: int = Field(
        default=256 * 1024 * 1024,
        ge=1024,
        description="Largest file POST /v1/uploads takes (for imports); kept in Redis until "
        "upload_ttl_s passes.",
    )
    upload_ttl_s: int = Field(default=24 * 3600, ge=60)
    max_event_streams: int = Field(
        default=64,
        ge=1,
        description="Event streams open at once in one API process (they share one pub/sub "
        "connection; each still reads the operation on every change).",
    )
    max_event_streams_per_key: int = Field(default=8, ge=1)
    queue_prefix: str = "autointerp"
    job_timeout_s: float = Field(
        default=3600.0, gt=0, description="An operation running longer fails with a reason."
    )
    max_attempts: int = Field(
        default=3,
        ge=1,
        le=100,
        description="Starts of one operation (re-deliveries after a worker died) before it is "
        "dead-lettered: marked failed with the reason instead of crashing workers forever.",
    )
    transient_retries: int = Field(
        default=2,
        ge=0,
        le=10,
        description="Tries again, after the first, of an operation that failed on a transient "
        "dependency failure (an LLM endpoint rate-limiting or down, Redis unreachable).",
    )
    transient_retry_delay_s: float = Field(
        default=5.0, ge=0, description="Wait before the first such retry; doubles each time."
    )
    redelivery_idle_s: int = Field(
        default=600, ge=1, description="Re-deliver a job whose worker went silent this long."
    )
    orphan_after_s: float = Field(
        default=30.0,
        ge=1,
        description="A running operation whose worker sent no heartbeat this long (killed, "
        "its host lost) is re-queued by any worker, or by resubmitting it.",
    )
    operation_ttl_s: int = Field(default=7 * 24 * 3600, ge=60)
    scan_memory_mb: int = Field(
        default=4096,
        ge=16,
        description="Most memory one worker may take for a scan (its selections, forward pass "
        "and record writes, as predicted); larger scans are split over layer groups or refused "
        "with a 422 naming the figure (a worker killed for memory would only retry).",
    )
    scan_streams: int = Field(
        default=0,
        ge=0,
        le=8,
        description="Batches a scan keeps in flight, each in its own thread with its share of "
        "the cores; 0: each scan times one and two on its first 13 batches and keeps the "
        "faster for the rest.",
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    llm_profiles: dict[str, LLMProfile] = Field(default_factory=_default_profiles)
    models: dict[str, ModelConfig] = Field(
        default_factory=dict,
        description="Subject models beside the built-in ones, by the name requests use "
        "(AUTOINTERP_MODELS__<NAME>__SOURCE=folder, ..._LOCATION=/path, ...).",
    )
    models_file: Path | None = Field(
        default=None,
        description="A JSON file of more models: {name: {source, location, ...}}.",
    )
    hub_cache_dir: Path | None = Field(
        default=None,
        description="The Hugging Face hub cache hub models are read from (default: "
        "huggingface_hub's, HF_HUB_CACHE).",
    )
    allow_hub_downloads: bool = Field(
        default=False,
        description="Let workers fetch hub models (at their pinned revision) that are not in "
        "the local Hugging Face cache; never because a request asked.",
    )

    huggingface_datasets: list[str] = Field(
        default_factory=list,
        description="Hub datasets scans may read, as patterns of ids (`allenai/c4`, "
        "`HuggingFaceFW/*`); none by default. Read from the hub cache (fetched only with "
        "allow_hub_downloads) at the commit the request pins, never from a server path.",
    )
    huggingface_remote_data_files: bool = Field(
        default=False,
        description="Let an allowed dataset's card name data files elsewhere (http://, s3://); "
        "off: such a dataset is refused, so no request makes the server fetch an address.",
    )

    def secret_values(self) -> list[str]:
        """Every secret this configuration holds, for redaction from errors and logs."""
        found = [
            profile.api_key.get_secret_value()
            for profile in self.llm_profiles.values()
            if profile.api_key is not None
        ]
        if self.redis_url:
            password = urlsplit(self.redis_url).password
            if password:
                found.append(password)
        if os.environ.get("OPENAI_API_KEY"):  # the openai client's fallback
            found.append(os.environ["OPENAI_API_KEY"])
        return found

    def configured_models(self) -> dict[str, ModelConfig]:
        """The operator's models: `models`, then those of `models_file`."""
        found = dict(self.models)
        if self.models_file is not None:
            data = json.loads(self.models_file.read_text())
            for name, entry in data.items():
                if name in found:
                    raise ValueError(f"model {name!r} is configured twice")
                found[name] = ModelConfig.model_validate(entry)
        return found

    @field_validator("redis_url")
    @classmethod
    def _reject_empty_url(cls, value: str | None) -> str | None:
        # An empty string in the environment means "not configured", not "connect to ''".
        return value or None
