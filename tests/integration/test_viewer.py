"""The neuron viewer: its page routes in-process, and the pages themselves in real headless
Chromium (Debian's, driven by Playwright) on a live server with a real scan and explanation."""

import asyncio
import shutil
import signal
import subprocess
import sys
import time

import httpx
import pytest
from playwright.sync_api import expect, sync_playwright
from redis.asyncio import Redis

from autointerp.api.app import create_app
from autointerp.readiness import wait_until_ready
from autointerp.store.keys import KeyStore, Scope
from tests.conftest import free_port, service_env

pytestmark = pytest.mark.integration
# A loaded machine (the suite, CI) can take longer than Playwright's 5 s default: the first
# GET /v1/models hashes every built-in model's files.
expect.set_options(timeout=30_000)

CHROMIUM = "/usr/bin/chromium"
PROBLEM = "application/problem+json"
NEURON = {"model": "minilm-l6", "layer": 0, "index": 3}
TEXTS = [
    f"In {1900 + i} it rained on {i % 7} days, and the weather was cold (said report {i})."
    for i in range(40)
]
SCAN = {
    "model": "minilm-l6",
    "corpus": {"type": "texts", "texts": TEXTS},
    "layers": [0],
    "excerpt_tokens": 12,
    "top_k": 5,
    "random_k": 4,
    "quantile_bins": 2,
    "quantile_k": 2,
}
PAGES = [
    "/",
    "/view/models/minilm-l6/layers/0",
    "/view/models/minilm-l6/layers/0/neurons/3",
    f"/view/operations/{'a' * 64}",
]

needs_chromium = pytest.mark.skipif(
    shutil.which(CHROMIUM) is None, reason="Debian's chromium is not installed"
)


async def test_pages_are_html_shells_outside_the_schema_and_bad_params_are_problems(settings):
    # No lifespan: the pages touch neither Redis nor the worker. Auth on: they need no key.
    app = create_app(settings.model_copy(update={"auth": True}))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as http:
        for path in PAGES:
            page = await http.get(path)
            assert page.status_code == 200, (path, page.text)
            assert page.headers["content-type"].startswith("text/html")
            assert "script-src 'self'" in page.headers["content-security-policy"]
            assert '<script defer src="/view/static/common.js' in page.text
        neuron = (await http.get(PAGES[2])).text
        assert 'data-model="minilm-l6" data-layer="0" data-index="3"' in neuron
        # A model name is text in an attribute, never markup.
        odd = await http.get("/view/models/%22%3E%3Cscript%3E/layers/0")
        assert odd.status_code == 200 and 'data-model="&quot;&gt;&lt;script&gt;"' in odd.text
        for name, media in (("viewer.css", "text/css"), ("neuron.js", "text/javascript")):
            asset = await http.get(f"/view/static/{name}")
            assert asset.status_code == 200 and asset.headers["content-type"].startswith(media)

        for path in (
            "/view/models/minilm-l6/layers/-1",
            "/view/models/minilm-l6/layers/100001/neurons/0",
            "/view/models/minilm-l6/layers/0/neurons/x",
            "/view/models/minilm-l6/layers/0/neurons/10000001",
            "/view/models/" + "m" * 201 + "/layers/0",
            "/view/operations/not-an-id",
            "/view/static/page.html",
        ):
            bad = await http.get(path)
            assert bad.status_code == 422, (path, bad.text)
            assert bad.headers["content-type"] == PROBLEM
        for path in ("/view/static/nothing.js", "/view/static/..%2Fpage.html"):
            missing = await http.get(path)
            assert missing.status_code == 404 and missing.headers["content-type"] == PROBLEM
        paths = app.openapi()["paths"]
        assert all(path.startswith(("/v1", "/livez", "/readyz", "/metrics")) for path in paths)


def _finished(http: httpx.Client, operation_id: str, timeout_s: float = 120) -> dict:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        operation = http.get(f"/v1/operations/{operation_id}").json()
        if operation["state"] in ("succeeded", "failed", "cancelled"):
            return operation
        time.sleep(0.1)
    raise AssertionError(f"operation {operation_id} did not finish")


def _explained_neuron(http: httpx.Client) -> tuple[dict, str]:
    """A real scan and a lexical explanation of NEURON, once search has indexed it."""
    scan = _finished(http, http.post("/v1/scans", json=SCAN).json()["id"])
    assert scan["state"] == "succeeded", scan
    request = {"neuron": NEURON, "profile": "lexical", "explainer": "lexical"}
    request |= {"simulator": "lexical", "samples": 1}
    explained = _finished(http, http.post("/v1/explanations", json=request).json()["id"])
    assert explained["state"] == "succeeded", explained
    written = explained["result"]["best"]["explanation"]
    for _ in range(300):
        if http.get("/v1/explanations/search", params={"q": written}).json()["total"]:
            break
        time.sleep(0.1)
    record = http.get("/v1/models/minilm-l6/layers/0/neurons/3").json()
    return record, written


def _launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True)


@needs_chromium
def test_search_follow_a_hit_read_its_heat_map_and_open_the_layer(server, tmp_path):
    with httpx.Client(base_url=server, timeout=60) as http:
        record, written = _explained_neuron(http)
    top = record["top"][0]

    with sync_playwright() as playwright:
        browser = _launch(playwright)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))

        page.goto(f"{server}/")
        expect(page.locator("table.models")).to_contain_text("minilm-l6")
        page.fill("#q", written)
        page.click("form.search button[type=submit]")
        hit = page.locator("a.hit-link").first
        expect(hit).to_have_text(written)
        page.screenshot(path=tmp_path / "home.png", full_page=True)
        hit.click()

        page.wait_for_url("**/view/models/minilm-l6/layers/0/neurons/3")
        expect(page.locator("table.results")).to_contain_text(written)
        first = page.locator("[data-section=top] .excerpt").first
        expect(first).to_have_attribute("data-excerpt-id", str(top["excerpt_id"]))
        spans = first.locator(".tok")
        expect(spans).to_have_count(len(top["tokens"]))
        shown = spans.evaluate_all(
            "spans => spans.map(s => [s.textContent, s.dataset.value, s.title])"
        )
        for (text, value, title), token, activation in zip(
            shown, top["tokens"], top["activations"], strict=True
        ):
            assert text == (token.replace("\n", "↵") or "∅")
            assert float(value) == pytest.approx(activation, abs=1e-9)
            # The hover shows the token and its value as displayed (3 decimals).
            assert float(title.rsplit(" ", 1)[1]) == pytest.approx(activation, abs=5e-4 + 1e-9)
        # The best explanation simulated beside the real activations.
        expect(page.locator("[data-section=simulated] .simulated").first).to_be_visible()
        expect(page.locator("[data-section=bottom] .excerpt")).to_have_count(len(record["bottom"]))
        expect(page.locator(".moments")).to_contain_text(f"{record['stats']['max']:.4f}")
        expect(page.locator("a[rel=next]")).to_have_attribute(
            "href", "/view/models/minilm-l6/layers/0/neurons/4"
        )
        page.screenshot(path=tmp_path / "neuron.png", full_page=True)

        page.click("nav.neighbours a.up")
        page.wait_for_url("**/view/models/minilm-l6/layers/0*")
        row = page.locator("table.neurons tr[data-index='3']")
        expect(row).to_contain_text(written)
        expect(page.locator("svg.histogram rect.bin")).to_have_count(20)
        page.screenshot(path=tmp_path / "layer.png", full_page=True)

        row.locator("a").click()
        page.wait_for_url("**/neurons/3")
        page.locator("table.results a").first.click()
        page.wait_for_url("**/view/operations/*")
        expect(page.locator(".state")).to_have_text("succeeded")

        # A neuron no scan recorded: the API's reason, and the way back still there.
        page.goto(f"{server}/view/models/minilm-l6/layers/5/neurons/3")
        expect(page.locator(".error")).to_contain_text("404")
        expect(page.locator("nav.neighbours a.up")).to_have_text("layer 5")

        # A running operation followed live to its end, with links to what it made.
        with httpx.Client(base_url=server, timeout=60) as http:
            running = http.post("/v1/scans", json={**SCAN, "layers": [1]}).json()
        page.goto(f"{server}/view/operations/{running['id']}")
        expect(page.locator(".state")).to_have_text("succeeded", timeout=120_000)
        expect(page.locator("progress")).to_have_attribute("value", "1")
        expect(page.locator(".links a")).to_have_text("minilm-l6 layer 1")
        page.screenshot(path=tmp_path / "operation.png", full_page=True)
        browser.close()
    assert not errors, errors
    assert all((tmp_path / f"{name}.png").stat().st_size > 0 for name in ("neuron", "layer"))


async def _key(settings) -> str:
    redis = Redis.from_url(settings.redis_url)
    try:
        return (await KeyStore(redis, settings.queue_prefix).create("viewer", Scope.read))[1]
    finally:
        await redis.aclose()


@needs_chromium
def test_with_keys_on_the_pages_ask_for_one_and_use_it(settings, tmp_path):
    key = asyncio.run(_key(settings))
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "autointerp", "serve", "--port", str(port)],
        env=service_env(settings, AUTOINTERP_AUTH="true"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_ready(base, timeout_s=30, process=process)
        with sync_playwright() as playwright:
            browser = _launch(playwright)
            page = browser.new_page()
            page.goto(f"{base}/")
            expect(page.locator("#notice")).to_contain_text("needs an API key")
            page.fill("#api-key", key)
            page.click("#key-form button")
            expect(page.locator("table.models")).to_contain_text("minilm-l6")
            expect(page.locator("#notice")).to_be_hidden()
            page.screenshot(path=tmp_path / "with-key.png")
            browser.close()
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)
