"""Service configuration: one pydantic-settings class, read once at startup and injected."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class LLMProfile(BaseModel):
    """A named LLM backend. Requests pick a profile by name; URLs and keys stay server-side."""

    backend: Literal["openai", "transformers", "lexical"]
    model: str = ""
    base_url: str | None = None
    api_key: SecretStr | None = None
    max_concurrency: int = Field(default=4, ge=1, le=256)
    timeout_s: float = Field(default=60.0, gt=0)
    max_retries: int = Field(default=5, ge=0, le=20)
    prompt_logprobs: bool = Field(
        default=False,
        description="The endpoint returns prompt logprobs (legacy completions with echo), "
        "which the all-at-once simulator needs: llama.cpp server, vLLM.",
    )


def _default_profiles() -> dict[str, LLMProfile]:
    return {
        "lexical": LLMProfile(backend="lexical"),
        "local": LLMProfile(backend="transformers", model="smollm2-135m"),
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
    queue_prefix: str = "autointerp"
    default_model: str = "minilm-l6"
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
    operation_ttl_s: int = Field(default=7 * 24 * 3600, ge=60)
    scan_memory_mb: int = Field(
        default=4096,
        ge=16,
        description="Most memory a scan's held excerpts may take; larger scans are refused "
        "with a 422 naming the figure (a worker killed for memory would only retry).",
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    llm_profiles: dict[str, LLMProfile] = Field(default_factory=_default_profiles)

    @field_validator("redis_url")
    @classmethod
    def _reject_empty_url(cls, value: str | None) -> str | None:
        # An empty string in the environment means "not configured", not "connect to ''".
        return value or None
