"""The README's serve command, for real: uvicorn, embedded Redis, in-process worker, over HTTP."""

import os
import signal
import subprocess
import sys
import time

import httpx
import pytest

from autointerp.readiness import wait_until_ready
from tests.conftest import free_port

pytestmark = pytest.mark.integration


def test_serve_on_embedded_defaults(tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("AUTOINTERP_")}
    env["AUTOINTERP_DATA_DIR"] = str(tmp_path / "data")
    process = subprocess.Popen(
        [sys.executable, "-m", "autointerp", "serve", "--port", str(port)],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_ready(base, process=process)
        missing = httpx.get(f"{base}/missing")
        assert missing.status_code == 404
        assert missing.headers["content-type"] == "application/problem+json"
        body = {"model": "tiny-gpt2", "texts": ["served end to end"]}
        submitted = httpx.post(f"{base}/v1/tokenizations", json=body).json()
        for _ in range(200):
            operation = httpx.get(f"{base}/v1/operations/{submitted['id']}").json()
            if operation["state"] == "succeeded":
                break
            time.sleep(0.05)
        assert operation["result"]["texts"][0]["tokens"] == ["served", "end", "to", "end"]
    finally:
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=30)
    assert process.returncode == 0, stderr.decode()[-2000:]
    # The embedded Redis went down with the service.
    assert not (tmp_path / "data" / "redis" / "redis.sock").exists()
