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
    PromptToken,
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
    ignores_n: bool = False
    """Answer with one choice whatever `n` asks for, as some servers do."""

    async def chat(self, messages: Sequence[ChatMessage], parameters: ChatParameters) -> ChatResult:
        self.calls.append((messages, parameters))
        reply = self.replies.pop(0) if len(self.replies) > 1 else self.replies[0]
        if isinstance(reply, Exception):
            raise reply
        text = reply(messages, parameters) if callable(reply) else reply
        choices = 1 if self.ignores_n else parameters.n
        return ChatResult([ChatChoice(text) for _ in range(choices)], Usage(10, 5, calls=1))

    async def prompt_logprobs(
        self, prompt: str, *, top_logprobs: int = 10, include: Sequence[str] = ()
    ) -> PromptLogprobsResult:
        raise NotImplementedError("scripted models answer chats only")


@dataclass
class ScriptedPromptModel:
    """Answers prompt-logprob calls (all-at-once simulation): at every `unknown` that follows
    a tab, certainty of `value(token)`, the token being the rest of that line before the tab.
    Records every prompt."""

    value: Callable[[str], int]
    supports_prompt_logprobs: bool = True
    prompts: list[str] = field(default_factory=list)

    async def chat(self, messages: Sequence[ChatMessage], parameters: ChatParameters) -> ChatResult:
        raise NotImplementedError("this scripted model answers prompt logprobs only")

    async def prompt_logprobs(
        self, prompt: str, *, top_logprobs: int = 10, include: Sequence[str] = ()
    ) -> PromptLogprobsResult:
        self.prompts.append(prompt)
        tokens, at = [], prompt.find("\tunknown")
        while at >= 0:
            token = prompt[prompt.rfind("\n", 0, at) + 1 : at]
            tokens.append(PromptToken("unknown", at + 1, {str(self.value(token)): 0.0}))
            at = prompt.find("\tunknown", at + 1)
        return PromptLogprobsResult(tokens, Usage(len(prompt), 0, calls=1))


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
