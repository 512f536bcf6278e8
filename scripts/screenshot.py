"""Screenshots of the viewer for the README: the service on embedded defaults (an embedded
Redis in a temporary data directory), a real scan of minilm-l6 on a few texts, lexical
explanations of some of its neurons, then the best neuron's page and its layer's page in
headless Chromium (Debian's, driven by Playwright).

    .venv/bin/python scripts/screenshot.py [--output docs/images]
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from playwright.sync_api import expect, sync_playwright

from autointerp.readiness import wait_until_ready

log = logging.getLogger("screenshot")
REPO = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
SUBJECTS = ["The river", "My sister", "The old train", "A small cat", "The committee"]
PLACES = ["Paris", "the station", "London", "the garden", "Berlin"]
TEXTS = [
    f"{SUBJECTS[i % 5]} reached {PLACES[(i * 3) % 5]} in {1900 + 7 * i} (about {i + 2} "
    f"hours late), and it rained all day."
    for i in range(40)
]
LAYER = 1
NEURONS = list(range(48))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _finished(http: httpx.Client, submitted: httpx.Response, timeout_s: float = 300) -> dict:
    submitted.raise_for_status()
    operation_id = submitted.json()["id"]
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        operation = http.get(f"/v1/operations/{operation_id}").json()
        if operation["state"] in ("succeeded", "failed", "cancelled"):
            if operation["state"] != "succeeded":
                raise RuntimeError(f"operation {operation_id} {operation['state']}: {operation}")
            return operation
        time.sleep(0.2)
    raise TimeoutError(f"operation {operation_id} did not finish")


def _example(http: httpx.Client) -> int:
    """Scan, explain NEURONS of LAYER, and return the index of the best-scored one."""
    scan = {
        "model": "minilm-l6",
        "corpus": {"type": "texts", "texts": TEXTS},
        "layers": [LAYER],
        "excerpt_tokens": 16,
        "top_k": 5,
        "random_k": 4,
        "quantile_bins": 2,
        "quantile_k": 2,
    }
    _finished(http, http.post("/v1/scans", json=scan))
    batch = {"model": "minilm-l6", "layer": LAYER, "neurons": NEURONS}
    batch |= {"profile": "lexical", "explainer": "lexical", "simulator": "lexical"}
    _finished(http, http.post("/v1/batches", json=batch))
    for _ in range(300):  # until search has indexed the results
        listing = http.get(
            "/v1/models/minilm-l6/neurons",
            params={"layer_min": LAYER, "layer_max": LAYER, "limit": 1},
        ).json()
        if listing["total"] == len(NEURONS):
            return int(listing["neurons"][0]["index"])
        time.sleep(0.1)
    raise TimeoutError("the explanations were not indexed")


def _shoot(base: str, index: int, output: Path) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        page = browser.new_page(viewport={"width": 1200, "height": 1000})
        page.goto(f"{base}/view/models/minilm-l6/layers/{LAYER}/neurons/{index}")
        expect(page.locator("[data-section=simulated] .simulated").first).to_be_visible()
        page.screenshot(path=output / "viewer-neuron.png")
        page.set_viewport_size({"width": 1200, "height": 700})
        page.goto(f"{base}/view/models/minilm-l6/layers/{LAYER}")
        expect(page.locator("table.neurons tbody tr")).to_have_count(len(NEURONS))
        page.screenshot(path=output / "viewer-layer.png")
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, default=REPO / "docs" / "images")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    args.output.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="autointerp-screenshot-") as data:
        # Only this run's settings: no AUTOINTERP_REDIS_URL, so Redis is the embedded one.
        env = {k: v for k, v in os.environ.items() if not k.startswith("AUTOINTERP_")}
        env |= {"AUTOINTERP_DATA_DIR": data, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
        port = _free_port()
        service_log = Path(data) / "service.log"
        with service_log.open("wb") as sink:
            service = subprocess.Popen(
                [sys.executable, "-m", "autointerp", "serve", "--port", str(port)],
                env=env,
                stdout=sink,
                stderr=subprocess.STDOUT,
            )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until_ready(base, timeout_s=60, process=service)
            with httpx.Client(base_url=base, timeout=60) as http:
                index = _example(http)
            log.info("best neuron: layer %d neuron %d", LAYER, index)
            _shoot(base, index, args.output)
        except BaseException:
            log.error("the service's log ends:\n%s", service_log.read_text()[-4000:])
            raise
        finally:
            service.send_signal(signal.SIGINT)
            service.wait(timeout=60)
    for name in ("viewer-neuron.png", "viewer-layer.png"):
        path = args.output / name
        log.info("wrote %s (%d KB)", path, path.stat().st_size // 1024)


if __name__ == "__main__":
    main()
