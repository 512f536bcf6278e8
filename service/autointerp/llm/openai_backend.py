"""Any OpenAI-compatible endpoint (OpenAI, vLLM, llama.cpp server, Ollama) through the
official `openai` client. The client's own retries are off: ours are bounded, jittered,
honour Retry-After, and turn into a failed operation with the reason."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

import openai
from openai import AsyncOpenAI

from autointerp.config import LLMProfile
from autointerp.interp.ports import (
    ChatChoice,
    ChatParameters,
    ChatResult,
    PromptLogprobsResult,
    PromptToken,
    TokenLogprobs,
    Usage,
)
from autointerp.interp.prompts import ChatMessage
from autointerp.llm.retry import RetryPolicy, call_with_retries


def _retryable(error: Exception) -> bool:
    if isinstance(error, openai.APIStatusError):
        return error.status_code == 429 or error.status_code >= 500
    return isinstance(error, openai.APITimeoutError | openai.APIConnectionError)


def _retry_after(error: Exception) -> float | None:
    response = getattr(error, "response", None)
    value = response.headers.get("retry-after") if response is not None else None
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def _describe(error: Exception) -> str:
    if isinstance(error, openai.APIStatusError):
        return f"HTTP {error.status_code} from the endpoint: {error.message}"
    return f"{type(error).__name__}: {error}"


def _usage(usage: Any) -> Usage:
    if usage is None:
        return Usage(calls=1)
    return Usage(usage.prompt_tokens or 0, usage.completion_tokens or 0, calls=1)


class OpenAICompatibleModel:
    """A LanguageModel over HTTP, with one concurrency limit per profile."""

    def __init__(self, profile: LLMProfile, http_client: Any = None) -> None:
        """`http_client`: an httpx-compatible client of the openai package's choosing (tests
        pass one with a mock transport)."""
        self.profile = profile
        self.client = AsyncOpenAI(
            base_url=profile.base_url,
            api_key=profile.api_key.get_secret_value() if profile.api_key else "not-needed",
            max_retries=0,
            timeout=profile.timeout_s,
            http_client=http_client,
        )
        self.semaphore = asyncio.Semaphore(profile.max_concurrency)
        self.policy = RetryPolicy(
            max_retries=profile.max_retries,
            deadline_s=profile.timeout_s * (profile.max_retries + 1),
        )

    @property
    def supports_prompt_logprobs(self) -> bool:
        """Legacy completions with echo + logprobs (llama.cpp server, vLLM, older OpenAI)."""
        return self.profile.prompt_logprobs

    async def _call(self, make: Any) -> Any:
        async with self.semaphore:
            return await call_with_retries(
                make,
                policy=self.policy,
                failures=(openai.APIError,),
                retryable=_retryable,
                retry_after=_retry_after,
                describe=_describe,
            )

    async def chat(self, messages: Sequence[ChatMessage], parameters: ChatParameters) -> ChatResult:
        """Chat completions; per-token top logprobs when asked for."""
        request: dict[str, Any] = {
            "model": self.profile.model,
            "messages": [{"role": m.role, "content": m.content} for m in messages],
            "n": parameters.n,
            "temperature": parameters.temperature,
            "max_tokens": parameters.max_tokens,
        }
        if parameters.top_logprobs:
            request.update(logprobs=True, top_logprobs=min(parameters.top_logprobs, 20))
        if parameters.json_mode:
            request["response_format"] = {"type": "json_object"}
        response = await self._call(lambda: self.client.chat.completions.create(**request))
        choices = []
        for choice in response.choices or []:
            content = choice.logprobs.content if choice.logprobs is not None else None
            tokens = (
                [
                    TokenLogprobs(t.token, {a.token: a.logprob for a in t.top_logprobs or []})
                    for t in content
                ]
                if content
                else None
            )
            choices.append(ChatChoice(choice.message.content or "", tokens))
        return ChatResult(choices, _usage(response.usage))

    async def prompt_logprobs(
        self, prompt: str, *, top_logprobs: int = 10, include: Sequence[str] = ()
    ) -> PromptLogprobsResult:
        """Legacy completions with `echo`: the top tokens at every prompt token (the API
        cannot report other tokens, so `include` is not honoured)."""
        response = await self._call(
            lambda: self.client.completions.create(
                model=self.profile.model,
                prompt=prompt,
                max_tokens=1,
                echo=True,
                logprobs=min(top_logprobs, 5),  # the legacy API's maximum
                temperature=0.0,
            )
        )
        logprobs = response.choices[0].logprobs
        tokens = [
            PromptToken(text, int(offset), dict(top or {}))
            for text, offset, top in zip(
                logprobs.tokens, logprobs.text_offset, logprobs.top_logprobs, strict=False
            )
            if offset < len(prompt)  # drop the one generated token
        ]
        return PromptLogprobsResult(tokens, _usage(response.usage))
