"""The README's Python flows, verbatim, through the generated client over real HTTP: uvicorn
on a free loopback port, the real Redis, the in-process worker."""

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import free_port

pytestmark = pytest.mark.integration
README = Path(__file__).resolve().parents[2] / "README.md"


def readme_example() -> str:
    match = re.search(
        r"<!-- client-example -->\n```python\n(.*?)```\n<!-- /client-example -->",
        README.read_text(),
        re.DOTALL,
    )
    assert match, "the README lost its client example"
    return match.group(1)


@pytest.fixture
def server(settings):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("AUTOINTERP_")}
    env.update(
        AUTOINTERP_REDIS_URL=settings.redis_url,
        AUTOINTERP_DATA_DIR=str(settings.data_dir),
        AUTOINTERP_CORPORA_DIR=str(settings.corpora_dir),
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "autointerp", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                break
        except httpx.TransportError:
            time.sleep(0.1)
    yield base
    process.send_signal(signal.SIGINT)
    process.wait(timeout=30)


def test_readme_flows_through_the_generated_client(server):
    result = subprocess.run(
        [sys.executable, "-c", readme_example()],
        env={**os.environ, "AUTOINTERP_URL": server},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("explanation: the tokens '")
    assert lines[1].startswith("test score: ")
    # The neuron-centred read lists the cached explanation with its test score.
    assert lines[2].startswith("explanation test ")
