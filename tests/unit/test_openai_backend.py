"""The OpenAI-compatible adapter at its HTTP edge (httpx.MockTransport): parsing, retries,
Retry-After, and failures that become a reason instead of a result."""

import contextlib
import http.server
import json
import threading
import time
from typing import ClassVar

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


async def test_timeouts_are_not_retried_unless_asked_then_fail():
    calls = []

    def handler(request):
        calls.append(request)
        raise httpx.ReadTimeout("slow", request=request)

    with pytest.raises(TransientFailure, match=r"timed out after 5 s \(sent 1 time;"):
        await model_with(handler, retries=1).chat(MESSAGES, ChatParameters())
    assert len(calls) == 1
    profile = LLMProfile(
        backend="openai", model="m", base_url="http://llm.test/v1", timeout_s=5, timeout_retries=1
    )
    client = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    with pytest.raises(TransientFailure, match=r"timed out after 10 s \(sent 2 times;"):
        await OpenAICompatibleModel(profile, http_client=client).chat(MESSAGES, ChatParameters())
    assert len(calls) == 3


# --- prompt logprobs (echo): alignment, how many are asked for, servers that return none ---

# Recorded from llama-cpp-python 0.3.36's server (SmolLM2-135M-Instruct Q4_1, `logprobs: 3`,
# `echo: true`, rounded to 4 places): entry i is the distribution of the token *after* token i
# (abetlen/llama-cpp-python#1983), e.g. the one at " three" ranks "," first. Each entry also
# carries its own token's logprob, as that server adds it.
COUNTING = "One, two, three, four, five, six, seven, eight"
SHIFTED_LOGPROBS = {
    "tokens": [
        *["One", ",", " two", ",", " three", ",", " four", ",", " five", ",", " six", ","],
        *[" seven", ",", " eight"],
    ],
    "text_offset": [0, 3, 4, 8, 9, 15, 16, 21, 22, 27, 28, 32, 33, 39, 40],
    "token_logprobs": [
        *[None, -14.2182, -8.2046, -11.6287, -8.1214, -12.958, -10.3396, -12.7206],
        *[-9.3706, -12.8165, -8.6251, -11.9354, -9.8002, -9.1625, -11.9361],
    ],
    "top_logprobs": [
        None,
        {" the": -2.2818, " ": -2.3532, " it": -2.5638, ",": -14.2182},
        {"-": -1.2217, ",": -3.1035, " of": -3.5635, " two": -8.2046},
        {" or": -0.9776, " three": -1.4075, " and": -1.784, ",": -11.6287},
        {",": -0.1935, "...": -2.8664, " and": -3.4594, " three": -8.1214},
        {" four": -0.5079, " and": -1.971, " or": -2.6888, ",": -12.958},
        {",": -0.262, "...": -2.4658, " and": -3.8689, " four": -10.3396},
        {" five": -1.0841, " six": -1.5286, " and": -2.075, ",": -12.7206},
        {",": -0.2457, "...": -2.3442, " and": -3.7057, " five": -9.3706},
        {" six": -0.3353, " and": -2.1521, " seven": -3.4429, ",": -12.8165},
        {",": -0.1493, "...": -3.3165, " and": -3.6107, " six": -8.6251},
        {" seven": -0.6184, " and": -1.5045, " or": -3.126, ",": -11.9354},
        {",": -0.0653, " and": -3.5259, "...": -4.8538, " seven": -9.8002},
        {" eight": -0.1516, " and": -2.8667, " or": -4.2479, ",": -9.1625},
        {",": -0.0466, " and": -4.4787, "...": -4.7911, " eight": -11.9361},
    ],
}
# The same distributions where OpenAI's API puts them: entry i predicts token i (nothing
# predicts the first; the second's was not in the recording).
ALIGNED_LOGPROBS = {
    **SHIFTED_LOGPROBS,
    "top_logprobs": [None, *SHIFTED_LOGPROBS["top_logprobs"][:-1]],
    "token_logprobs": [None, *SHIFTED_LOGPROBS["token_logprobs"][:-1]],
}


def text_completion(text, logprobs, prompt_tokens=15):
    return {
        "id": "cmpl-x",
        "object": "text_completion",
        "created": 0,
        "model": "m",
        "choices": [{"index": 0, "text": text, "finish_reason": "length", "logprobs": logprobs}],
        "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": 1, "total_tokens": 16},
    }


def prompt_model(handler, **fields):
    profile = LLMProfile(
        **{"backend": "openai", "model": "m", "base_url": "http://llm.test/v1", **fields}
    )
    client = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    return OpenAICompatibleModel(profile, http_client=client)


def _first(top):
    return max(top, key=top.get) if top else None


@pytest.mark.parametrize(
    "logprobs", [SHIFTED_LOGPROBS, ALIGNED_LOGPROBS], ids=["shifted", "openai"]
)
async def test_prompt_logprobs_describe_the_token_they_are_reported_at(logprobs):
    def handler(request):
        return httpx.Response(200, json=text_completion(COUNTING + ",", logprobs))

    result = await prompt_model(handler).prompt_logprobs(COUNTING)
    at = {token.offset: token for token in result.tokens}
    assert [t.text for t in result.tokens] == SHIFTED_LOGPROBS["tokens"]
    # The distribution read at each number is the one that predicted it (" three" and
    # " eight" were the model's first choice there), at each comma the one that predicted it.
    assert _first(at[9].top) == " or" and at[9].top[" three"] == -1.4075
    assert _first(at[40].top) == " eight"
    assert all(_first(at[o].top) == "," for o in (15, 21, 27, 32, 39))
    assert at[0].top == {} and at[3].top == {}
    assert result.usage.prompt_tokens == 15


async def test_prompt_logprobs_ask_for_as_many_as_the_server_allows():
    seen = []

    def handler(request):
        seen.append(json.loads(request.content))
        return httpx.Response(200, json=text_completion(COUNTING + ",", ALIGNED_LOGPROBS))

    await prompt_model(handler).prompt_logprobs(COUNTING, include=["0", "1"])
    await prompt_model(handler, top_logprobs=50).prompt_logprobs(COUNTING)
    await prompt_model(handler, base_url=None, api_key="sk-x").prompt_logprobs(COUNTING)
    assert [body["logprobs"] for body in seen] == [20, 50, 5]  # OpenAI's legacy API: 5
    assert all(body["echo"] is True and body["max_tokens"] == 1 for body in seen)


async def test_a_server_that_echoes_no_prompt_logprobs_fails_with_the_reason():
    # llama.cpp's C++ llama-server: logprobs of the generated token only, no echo
    # (ggml-org/llama.cpp#27174).
    generated_only = {
        "tokens": [","],
        "text_offset": [len(COUNTING)],
        "token_logprobs": [-0.05],
        "top_logprobs": [{",": -0.05, " and": -4.5}],
    }

    def handler(request):
        return httpx.Response(200, json=text_completion(",", generated_only))

    with pytest.raises(OperationFailed, match="no logprobs for the prompt") as raised:
        await prompt_model(handler).prompt_logprobs(COUNTING)
    assert not isinstance(raised.value, TransientFailure)


# --- timeouts: a call the server may still be working on is not sent again ---


class _SlowCompletions(http.server.BaseHTTPRequestHandler):
    delay_s = 1.0
    requests: ClassVar[list[float]] = []

    def do_POST(self):
        type(self).requests.append(time.monotonic())
        self.rfile.read(int(self.headers["content-length"]))
        time.sleep(self.delay_s)
        body = json.dumps(completion()).encode()
        try:
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except OSError:  # the client gave up
            pass

    def log_message(self, *args):
        pass


@contextlib.contextmanager
def slow_server(delay_s):
    handler = type("Slow", (_SlowCompletions,), {"delay_s": delay_s, "requests": []})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/v1", handler.requests
    finally:
        server.shutdown()
        server.server_close()


async def test_a_timed_out_call_is_sent_once_not_retried():
    with slow_server(delay_s=1.5) as (base_url, requests):
        # The default retries (5) are for rate limits, 5xx and lost connections.
        profile = LLMProfile(backend="openai", model="m", base_url=base_url, timeout_s=0.3)
        started = time.monotonic()
        with pytest.raises(TransientFailure, match=r"timed out after 0\.3 s"):
            await OpenAICompatibleModel(profile).chat(MESSAGES, ChatParameters())
        assert len(requests) == 1
        assert time.monotonic() - started < 1.5


async def test_a_timeout_retry_is_sent_once_more_with_the_timeout_doubled():
    with slow_server(delay_s=0.5) as (base_url, requests):
        profile = LLMProfile(
            backend="openai", model="m", base_url=base_url, timeout_s=0.35, timeout_retries=1
        )
        result = await OpenAICompatibleModel(profile).chat(MESSAGES, ChatParameters())
        assert result.choices[0].text == "the cat"  # in 0.7 s, the second time
        assert len(requests) == 2


def test_local_servers_get_a_long_default_timeout():
    def timeout(base_url):
        return LLMProfile(backend="openai", model="m", base_url=base_url).call_timeout_s

    assert timeout("http://127.0.0.1:8080/v1") == timeout("http://localhost:8000/v1") == 600
    assert timeout("http://[::1]:8000/v1") == 600
    assert timeout("https://gpu-host:8000/v1") == timeout(None) == 60
    explicit = LLMProfile(backend="openai", model="m", base_url="http://127.0.0.1/v1", timeout_s=5)
    assert explicit.call_timeout_s == 5
