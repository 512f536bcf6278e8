"""Fakes for unit tests: a scripted language model, an in-memory Redis (fakeredis runs our Lua
scripts), and a queue that holds enqueued operations until the test runs them. Integration
tests use the real things."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fakeredis import FakeAsyncRedis

from autointerp.config import LLMProfile, Settings
from autointerp.interp.ports import (
    ChatChoice,
    ChatParameters,
    ChatResult,
    PromptLogprobsResult,
    Usage,
)
from autointerp.interp.prompts import ChatMessage
from autointerp.resources import Resources, build_resources
from autointerp.store.queues import Queue
from autointerp.tasks.base import WorkerRuntime

Reply = Callable[[Sequence[ChatMessage], ChatParameters], str]


@dataclass
class ScriptedLanguageModel:
    """Answers each chat with the next scripted reply: a string, a function of the messages,
    or an exception to raise. Records every call."""

    replies: list[str | Reply | Exception]
    supports_prompt_logprobs: bool = False
    calls: list[tuple[Sequence[ChatMessage], ChatParameters]] = field(default_factory=list)

    async def chat(self, messages: Sequence[ChatMessage], parameters: ChatParameters) -> ChatResult:
        self.calls.append((messages, parameters))
        reply = self.replies.pop(0) if len(self.replies) > 1 else self.replies[0]
        if isinstance(reply, Exception):
            raise reply
        text = reply(messages, parameters) if callable(reply) else reply
        return ChatResult([ChatChoice(text) for _ in range(parameters.n)], Usage(10, 5, calls=1))

    async def prompt_logprobs(
        self, prompt: str, *, top_logprobs: int = 10, include: Sequence[str] = ()
    ) -> PromptLogprobsResult:
        raise NotImplementedError("scripted models answer chats only")


@dataclass
class ScriptedLanguageModels:
    """Stands in for `llm.backends.LanguageModels`: the scripted model for every profile but
    the lexical one."""

    model: ScriptedLanguageModel

    def get(self, name: str) -> ScriptedLanguageModel | None:
        return None if name == "lexical" else self.model


@dataclass
class HeldQueue:
    """Stands in for `store.queues.Brokers`: keeps what is enqueued, in order."""

    enqueued: list[tuple[Queue, str]] = field(default_factory=list)

    async def enqueue(self, queue: Queue, operation_id: str) -> None:
        self.enqueued.append((queue, operation_id))

    async def run_all(self, execute: Callable[[str], Awaitable[None]]) -> None:
        """Run everything queued, including what running it enqueues."""
        while self.enqueued:
            _, operation_id = self.enqueued.pop(0)
            await execute(operation_id)


SCRIPTED_PROFILE = LLMProfile(backend="openai", model="scripted", base_url="http://unused/v1")


def fake_resources(tmp_path: Path, **settings: Any) -> Resources:
    """Resources on an in-memory Redis, with a `scripted` profile beside the defaults."""
    configured = Settings(_env_file=None, data_dir=tmp_path, **settings)  # type: ignore[call-arg]
    profiles = {**configured.llm_profiles, "scripted": SCRIPTED_PROFILE}
    configured = configured.model_copy(update={"llm_profiles": profiles})
    return build_resources(configured, FakeAsyncRedis())


def fake_worker(resources: Resources, model: ScriptedLanguageModel) -> WorkerRuntime:
    """A worker runtime whose language models are scripted (no model loader: the operations
    these tests run load no subject model)."""
    return WorkerRuntime(resources, models=None, llms=ScriptedLanguageModels(model))  # type: ignore[arg-type]
