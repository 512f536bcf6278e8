"""Any OpenAI-compatible endpoint (OpenAI, vLLM, llama.cpp server, Ollama) through the
official `openai` client. The client's own retries are off: ours are bounded, jittered,
honour Retry-After, and turn into a failed operation with the reason."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

import openai
from openai import AsyncOpenAI

from autointerp.config import LLMProfile
from autointerp.interp.errors import OperationFailed
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


def _timed_out(error: Exception) -> bool:
    return isinstance(error, openai.APITimeoutError)


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
            timeout=profile.call_timeout_s,
            http_client=http_client,
        )
        self.semaphore = asyncio.Semaphore(profile.max_concurrency)
        timeout_s = profile.call_timeout_s
        self.policy = RetryPolicy(
            max_retries=profile.max_retries,
            timeout_s=timeout_s,
            timeout_retries=profile.timeout_retries,
            # every attempt's timeout: one per retry, doubled ones after timeouts
            deadline_s=timeout_s * (profile.max_retries + 2 ** (profile.timeout_retries + 1) - 1),
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
                timed_out=_timed_out,
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
        if parameters.seed is not None:
            request["seed"] = parameters.seed
        response = await self._call(
            lambda timeout: self.client.chat.completions.create(**request, timeout=timeout)
        )
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
        """Legacy completions with `echo`: the top tokens at every prompt token. The API
        reports no token outside the top ones, so `include` cannot be honoured directly: as
        many are asked for as the server allows (the profile's `top_logprobs`; more than
        `top_logprobs` when that is smaller), and whatever of `include` is among them is kept.
        (`logit_bias` would not help: servers apply it to sampling, not to echoed prompt
        logprobs.)"""
        count = max_prompt_logprobs(self.profile)
        response = await self._call(
            lambda timeout: self.client.completions.create(
                model=self.profile.model,
                prompt=prompt,
                max_tokens=1,
                echo=True,
                logprobs=count,
                temperature=0.0,
                timeout=timeout,
            )
        )
        logprobs = response.choices[0].logprobs if response.choices else None
        tokens = read_prompt_logprobs(
            prompt,
            list(getattr(logprobs, "tokens", None) or []),
            list(getattr(logprobs, "text_offset", None) or []),
            list(getattr(logprobs, "top_logprobs", None) or []),
        )
        return PromptLogprobsResult(tokens, _usage(response.usage))


OPENAI_LEGACY_MAX_LOGPROBS = 5
"""OpenAI's legacy completions return at most this many logprobs per token."""


def max_prompt_logprobs(profile: LLMProfile) -> int:
    """How many top tokens to ask for at each prompt token: the profile's `top_logprobs`,
    capped at 5 for OpenAI's own API (whose default base URL a profile without one uses)."""
    host = urlsplit(profile.base_url).hostname if profile.base_url else "api.openai.com"
    if host == "api.openai.com":
        return min(profile.top_logprobs, OPENAI_LEGACY_MAX_LOGPROBS)
    return profile.top_logprobs


def _first(top: dict[str, float] | None) -> str | None:
    return max(top, key=lambda t: top[t]) if top else None


def echo_is_shifted(tokens: Sequence[str], tops: Sequence[dict[str, float] | None]) -> bool:
    """Whether entry i of an echoed prompt's logprobs is the distribution of token i + 1
    instead of token i, as llama-cpp-python's server returns them (abetlen/llama-cpp-python
    #1983: it reads the logits computed *at* each token, which predict the next one).

    The rule: the distribution reported at position i must describe the token at position i,
    so over a prompt the token it ranks first is far more often the token at i than the one
    at i + 1. When the token one position later is ranked first more often (at least twice),
    the entries are shifted. A correctly aligned response would need a model that predicts
    the token after the next one, systematically; a prompt too short to tell is left as is.
    """
    here = ahead = 0
    for i, top in enumerate(tops):
        first = _first(top)
        if first is None:
            continue
        here += i < len(tokens) and first == tokens[i]
        ahead += i + 1 < len(tokens) and first == tokens[i + 1]
    return ahead >= 2 and ahead > here


def read_prompt_logprobs(
    prompt: str,
    tokens: Sequence[str],
    offsets: Sequence[int],
    tops: Sequence[dict[str, float] | None],
) -> list[PromptToken]:
    """The prompt's tokens, each with the distribution that predicted it, from an echoed
    completion's logprobs, whichever of the two shapes the server returns (entry i predicts
    token i, as OpenAI's API; or token i + 1, as llama-cpp-python's). Raises OperationFailed
    when the server returned none for the prompt (llama.cpp's llama-server answers `echo`
    with the generated token's only: ggml-org/llama.cpp#27174)."""
    count = min(len(tokens), len(offsets))
    tops = list(tops[:count]) + [None] * (count - len(tops))
    if echo_is_shifted(tokens[:count], tops):
        tops = [None, *tops[:-1]]
    found = [
        PromptToken(tokens[i], int(offsets[i]), dict(tops[i] or {}))
        for i in range(count)
        if offsets[i] < len(prompt)  # drop the generated token
    ]
    if prompt and not any(token.top for token in found):
        raise OperationFailed(
            f"the endpoint returned no logprobs for the prompt's tokens ({len(found)} of its "
            f"tokens echoed, {count} logprob entries): it cannot run the all_at_once simulator. "
            "llama.cpp's llama-server returns none (ggml-org/llama.cpp#27174); vLLM and "
            "llama-cpp-python's server do. Use the 'generated' or 'json' simulator, or set "
            "the profile's prompt_logprobs to false."
        )
    return found
