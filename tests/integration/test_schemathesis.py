"""The spec fuzzed: schemathesis generates positive and negative requests for every operation
and checks for server errors, schema conformance and documented status codes. The service
runs in this process (uvicorn in a thread, real Redis) with auth on; the fuzzing runs with an
admin key (rate limits raised so it is not throttled), then without one, when every /v1 route
and /metrics must answer 401. Workers are off so fuzzed submissions are validated and queued
but not executed."""

import asyncio
import sys
import threading
import time

import hypothesis
import pytest
import redis
import schemathesis
import uvicorn
from redis.asyncio import Redis as AsyncRedis
from schemathesis import checks
from schemathesis.generation import GenerationMode

from autointerp.api.app import create_app
from autointerp.config import RateLimit, Settings
from autointerp.store.keys import KeyStore, Scope
from tests.conftest import TEST_DB, free_port

pytestmark = pytest.mark.integration
# Server errors, response schemas and content types, documented status codes, and invalid
# input rejected. Not "positive data acceptance": a schema-valid request may still name a
# model or profile this server lacks, which is rightly a 4xx.
CHECKS = [
    checks.not_a_server_error,
    checks.response_schema_conformance,
    checks.content_type_conformance,
    checks.status_code_conformance,
    checks.negative_data_rejection,
]


UNLIMITED = {scope: RateLimit(burst=100_000, per_minute=1e6) for scope in Scope}


def _start_server(redis_url: str, data_dir) -> tuple[str, str]:
    """The server's base URL and an admin key for it."""
    redis.Redis.from_url(redis_url).flushdb()
    settings = Settings(
        redis_url=redis_url,
        data_dir=data_dir,
        in_process_worker=False,
        auth=True,
        rate_limits=UNLIMITED,
        max_active_operations=1000,
        _env_file=None,
    )

    async def admin_key() -> str:
        client = AsyncRedis.from_url(redis_url)
        _, token = await KeyStore(client, settings.queue_prefix).create("fuzz", Scope.admin)
        await client.aclose()
        return token

    token = asyncio.run(admin_key())
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(settings), host="127.0.0.1", port=port, log_config=None, log_level="warning"
        )
    )
    threading.Thread(target=server.run, daemon=True).start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    return f"http://127.0.0.1:{port}", token


@pytest.fixture(scope="session")
def server(redis_url, data_dir):
    return _start_server(
        redis_url.rsplit("/", 1)[0] + f"/{TEST_DB - 1}"
        if redis_url.startswith("redis://")
        else redis_url,
        data_dir,
    )


def _fuzz(base_url: str, headers: dict[str, str], examples: int, on_response) -> int:
    """Call every operation with generated positive and negative requests; the count."""
    schema = schemathesis.openapi.from_url(f"{base_url}/openapi.json")
    requests = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @hypothesis.given(case=operation.as_strategy(generation_mode=mode))
            @hypothesis.settings(
                max_examples=examples,
                deadline=None,
                database=None,
                derandomize=True,
                suppress_health_check=list(hypothesis.HealthCheck),
            )
            def call(case: schemathesis.Case) -> None:
                nonlocal requests
                # Our key in place of any generated one; a case that leaves the header out
                # (a negative case for the security scheme) goes without, and must be a 401.
                generated = {name.lower() for name in case.headers or {}}
                response = case.call(headers=headers if "authorization" in generated else {})
                requests += 1
                on_response(case, response)

            try:
                call()
            except hypothesis.errors.Unsatisfiable:
                # No invalid input exists for an operation without parameters or body.
                assert mode is GenerationMode.NEGATIVE, operation.label
    return requests


def test_api_conforms_to_its_spec(server):
    base_url, token = server
    server_errors = 0

    def check(case: schemathesis.Case, response) -> None:
        nonlocal server_errors
        server_errors += response.status_code >= 500
        case.validate_response(response, checks=CHECKS)

    requests = _fuzz(base_url, {"Authorization": f"Bearer {token}"}, 80, check)
    # The summary line CI prints (pytest -s or the -rA report shows it).
    sys.stdout.write(
        f"\nschemathesis with a key: {requests} requests, {server_errors} 5xx, "
        "0 schema violations\n"
    )
    assert requests >= 1000
    assert server_errors == 0


def test_without_a_key_every_protected_route_answers_401(server):
    base_url, _ = server
    statuses: dict[int, int] = {}

    def check(case: schemathesis.Case, response) -> None:
        if case.operation.path in ("/livez", "/readyz"):
            return
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
        assert response.status_code == 401, (case.operation.label, response.text)

    requests = _fuzz(base_url, {}, 10, check)
    sys.stdout.write(f"\nschemathesis without a key: {requests} requests, {statuses}\n")
    assert list(statuses) == [401]
