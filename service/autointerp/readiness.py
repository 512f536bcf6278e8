"""Waiting for a service to answer ready: for scripts, orchestration and the test suite."""

from __future__ import annotations

import subprocess
import time

import httpx


def wait_until_ready(
    base_url: str, timeout_s: float = 60.0, process: subprocess.Popen[bytes] | None = None
) -> None:
    """Poll `{base_url}/readyz` until it answers 200; TimeoutError when it does not within
    `timeout_s`, RuntimeError at once when `process` (the service) exits meanwhile."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the service exited during startup (status {process.returncode})")
        try:
            if httpx.get(f"{base_url}/readyz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass  # not listening yet
        time.sleep(0.1)
    raise TimeoutError(f"{base_url} was not ready within {timeout_s:g} s")
