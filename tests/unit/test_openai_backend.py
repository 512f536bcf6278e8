"""The OpenAI-compatible adapter at its HTTP edge (httpx.MockTransport): parsing, retries,
Retry-After, and failures that become a reason instead of a result."""

import json

import httpx
import pytest

from autointerp.config import LLMProfile
from autointerp.interp.errors import OperationFailed, TransientFailure
from autointerp.interp.ports import ChatParameters
from autointerp.interp.prompts import ChatMessage
from autointerp.llm.openai_backend import OpenAICompatibleModel

MESSAGES = [ChatMessage("user", "hi")]


def completion(content="the cat", logprobs=None):
    return {
        "id": "x",
        "object": "chat.completion",
        "created": 0,
        "model": "m",
        "choices": [
            {
                "index": 0,
                "finish_reason": "stop",
                "logprobs": logprobs,
                "message": {"role": "assistant", "content": content},
            }
        ],
        "usage": {"prompt_tokens": 11, "completion_tokens": 3, "total_tokens": 14},
    }


def model_with(handler, retries=2):
    profile = LLMProfile(
        backend="openai", model="m", base_url="http://llm.test/v1", max_retries=retries, timeout_s=5
    )
    client = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    return OpenAICompatibleModel(profile, http_client=client)


async def test_chat_parses_text_logprobs_and_usage():
    logprobs = {
        "content": [
            {
                "token": "the",
                "logprob": -0.1,
                "bytes": None,
                "top_logprobs": [
                    {"token": "the", "logprob": -0.1, "bytes": None},
                    {"token": "a", "logprob": -2.3, "bytes": None},
                ],
            }
        ]
    }
    seen = {}

    def handler(request):
        seen.update(json.loads(request.content))
        return httpx.Response(200, json=completion(logprobs=logprobs))

    result = await model_with(handler).chat(MESSAGES, ChatParameters(top_logprobs=5))
    assert seen["logprobs"] is True and seen["top_logprobs"] == 5
    assert result.choices[0].text == "the cat"
    assert result.choices[0].tokens[0].top == {"the": -0.1, "a": -2.3}
    assert (result.usage.prompt_tokens, result.usage.completion_tokens) == (11, 3)


async def test_429_then_success_honours_retry_after():
    calls = []

    def handler(request):
        calls.append(request)
        if len(calls) == 1:
            return httpx.Response(429, headers={"retry-after": "0"}, json={"error": {}})
        return httpx.Response(200, json=completion())

    result = await model_with(handler).chat(MESSAGES, ChatParameters())
    assert len(calls) == 2 and result.choices[0].text == "the cat"


async def test_429_forever_fails_with_the_reason():
    calls = []

    def handler(request):
        calls.append(request)
        return httpx.Response(
            429, headers={"retry-after": "0"}, json={"error": {"message": "slow down"}}
        )

    with pytest.raises(TransientFailure, match="after 3 attempts: HTTP 429"):
        await model_with(handler, retries=2).chat(MESSAGES, ChatParameters())
    assert len(calls) == 3


async def test_client_errors_are_not_retried():
    calls = []

    def handler(request):
        calls.append(request)
        return httpx.Response(401, json={"error": {"message": "bad key"}})

    with pytest.raises(OperationFailed, match="HTTP 401") as raised:
        await model_with(handler).chat(MESSAGES, ChatParameters())
    assert len(calls) == 1
    assert not isinstance(raised.value, TransientFailure)  # a bad key will not pass


async def test_timeouts_are_retried_then_fail():
    def handler(request):
        raise httpx.ReadTimeout("slow", request=request)

    with pytest.raises(TransientFailure, match="after 2 attempts"):
        await model_with(handler, retries=1).chat(MESSAGES, ChatParameters())
