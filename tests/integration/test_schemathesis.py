"""The spec fuzzed: schemathesis generates positive and negative requests for every operation
and checks for server errors, schema conformance and documented status codes. The service
runs in this process (uvicorn in a thread, real Redis); workers are off so fuzzed submissions
are validated and queued but not executed."""

import sys
import threading
import time

import hypothesis
import pytest
import redis
import schemathesis
import uvicorn
from schemathesis import checks
from schemathesis.generation import GenerationMode

from autointerp.api.app import create_app
from autointerp.config import Settings
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


def _start_server(redis_url: str, data_dir) -> str:
    redis.Redis.from_url(redis_url).flushdb()
    settings = Settings(
        redis_url=redis_url, data_dir=data_dir, in_process_worker=False, _env_file=None
    )
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
    return f"http://127.0.0.1:{port}"


@pytest.fixture(scope="session")
def base_url(redis_url, data_dir):
    return _start_server(
        redis_url.rsplit("/", 1)[0] + f"/{TEST_DB - 1}"
        if redis_url.startswith("redis://")
        else redis_url,
        data_dir,
    )


def test_api_conforms_to_its_spec(base_url):
    schema = schemathesis.openapi.from_url(f"{base_url}/openapi.json")
    counts = {"requests": 0, "server_errors": 0}
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @hypothesis.given(case=operation.as_strategy(generation_mode=mode))
            @hypothesis.settings(
                max_examples=80,
                deadline=None,
                database=None,
                derandomize=True,
                suppress_health_check=list(hypothesis.HealthCheck),
            )
            def call(case: schemathesis.Case) -> None:
                response = case.call()
                counts["requests"] += 1
                counts["server_errors"] += response.status_code >= 500
                case.validate_response(response, checks=CHECKS)

            try:
                call()
            except hypothesis.errors.Unsatisfiable:
                # No invalid input exists for an operation without parameters or body.
                assert mode is GenerationMode.NEGATIVE, operation.label
    # The summary line CI prints (pytest -s or the -rA report shows it).
    sys.stdout.write(
        f"\nschemathesis: {counts['requests']} requests, {counts['server_errors']} 5xx, "
        "0 schema violations\n"
    )
    assert counts["requests"] >= 1000
    assert counts["server_errors"] == 0
