"""The holes an outside probe found, each shut: what a request may make the server read or
fetch, numbers it cannot store, what an error may reveal, and the embedded Redis's life."""

import http.server
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import ClassVar

import pytest

from autointerp.schemas.operations import OperationKind
from autointerp.store.embedded import DataDirInUse, EmbeddedRedis
from tests.conftest import running_app, wait_for_operation

pytestmark = pytest.mark.integration
REVISION = "0123456789abcdef0123456789abcdef01234567"


def _hub_dataset(cache, name: str, data_files: str, rows: list[str]) -> None:
    """A dataset in a Hugging Face hub cache laid out as huggingface_hub writes it."""
    owner, repo = name.split("/")
    snapshot = cache / f"datasets--{owner}--{repo}" / "snapshots" / REVISION
    snapshot.mkdir(parents=True)
    card = (
        "---\nconfigs:\n- config_name: default\n  data_files:\n  - split: train\n"
        f"    path: {data_files}\n---\n"
    )
    (snapshot / "README.md").write_text(card)
    (snapshot / "data.jsonl").write_text("\n".join(json.dumps({"text": r}) for r in rows) + "\n")


def _scan(name: str, **corpus):
    return {
        "model": "tiny-gpt2",
        "corpus": {"type": "huggingface", "name": name, "revision": REVISION, **corpus},
        "excerpt_tokens": 8,
    }


class _Hits(http.server.BaseHTTPRequestHandler):
    paths: ClassVar[list[str]] = []

    def do_GET(self):
        self.paths.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b'{"text": "the secret the server should never fetch"}\n')

    def log_message(self, *args):
        pass


async def test_hub_datasets_are_read_only_when_allowed_from_the_hub_at_a_pinned_commit(
    settings, tmp_path
):
    """Finding 1: a hub corpus named a server directory and the records held its text. Now
    only allowed ids, from the hub cache, at a pinned commit; a path is not an id."""
    cache = tmp_path / "hub"
    _hub_dataset(cache, "lab/stories", "data.jsonl", [f"Story {i} about a dog." for i in range(40)])
    _hub_dataset(cache, "other/secret", "data.jsonl", ["private text"])
    secret_dir = tmp_path / "private"
    secret_dir.mkdir()
    (secret_dir / "notes.txt").write_text("server-side secret")
    (settings.corpora_dir / "link").symlink_to(secret_dir)
    settings = settings.model_copy(
        update={"huggingface_datasets": ["lab/*"], "hub_cache_dir": cache}
    )
    async with running_app(settings) as client:
        for name in (str(secret_dir), "../private", "link", "lab/../private", "./x"):
            refused = await client.post("/v1/scans", json=_scan(name))
            assert refused.status_code == 422, (name, refused.text)
        not_allowed = await client.post("/v1/scans", json=_scan("other/secret"))
        assert not_allowed.status_code == 422
        assert "not one this server reads; allowed: lab/*" in not_allowed.json()["detail"]
        unpinned = _scan("lab/stories")
        del unpinned["corpus"]["revision"]
        assert (await client.post("/v1/scans", json=unpinned)).status_code == 422
        missing = await client.post("/v1/scans", json=_scan("lab/absent"))
        assert missing.status_code == 422 and "not in this server's hub cache" in missing.text

        response = await client.post("/v1/scans", json=_scan("lab/stories"))
        assert response.status_code == 202, response.text
        done = await wait_for_operation(client, response.json()["id"], timeout_s=120)
        assert done["state"] == "succeeded", done
        record = (await client.get("/v1/models/tiny-gpt2/layers/0/neurons/0")).json()
        text = "".join(token for excerpt in record["top"] for token in excerpt["tokens"])
        assert "dog" in text


async def test_a_dataset_card_naming_an_address_is_refused_and_nothing_is_fetched(
    settings, tmp_path
):
    """Finding 2: a card's data_files URL was fetched and its content read back."""
    _Hits.paths = []
    server = http.server.HTTPServer(("127.0.0.1", 0), _Hits)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/leak.jsonl"
    cache = tmp_path / "hub"
    _hub_dataset(cache, "lab/remote", url, [])
    _hub_dataset(cache, "lab/escape", "../../../../etc/passwd", [])
    settings = settings.model_copy(
        update={"huggingface_datasets": ["lab/*"], "hub_cache_dir": cache}
    )
    try:
        async with running_app(settings) as client:
            remote = await client.post("/v1/scans", json=_scan("lab/remote"))
            assert remote.status_code == 422, remote.text
            assert url in remote.json()["detail"]
            escape = await client.post("/v1/scans", json=_scan("lab/escape"))
            assert escape.status_code == 422 and "outside its own files" in escape.text
    finally:
        server.shutdown()
    assert _Hits.paths == []


@pytest.mark.parametrize(
    "path",
    ["bad\u0000name.jsonl", "x" * 300, "loop/a.jsonl", "sub", "../../etc/passwd", "/etc/passwd"],
)
async def test_bad_corpus_paths_are_422_and_name_no_server_files(settings, path):
    """Low findings: a NUL byte, an over-long component or a symlink loop answered 500, and
    a missing file's error listed the corpora directory."""
    (settings.corpora_dir / "private-notes.jsonl").write_text('{"text": "x"}\n')
    (settings.corpora_dir / "loop").symlink_to(settings.corpora_dir / "loop")
    (settings.corpora_dir / "sub").mkdir()
    async with running_app(settings) as client:
        response = await client.post(
            "/v1/scans", json={"model": "tiny-gpt2", "corpus": {"type": "file", "path": path}}
        )
        assert response.status_code == 422, response.text
        assert "private-notes" not in response.text


async def test_non_finite_numbers_are_refused_and_never_stored(settings):
    """Finding 4: a NaN activation was accepted, and the stored operation then broke its
    own reads and every listing with a 500 for its whole TTL."""
    excerpt = '{"tokens": ["a", "b"], "activations": [1.0, %s]}'
    async with running_app(settings) as client:
        for constant in ("NaN", "Infinity", "-Infinity"):
            body = '{"records": {"top": [%s]}, "profile": "lexical"}' % (excerpt % constant)
            response = await client.post(
                "/v1/explanations", content=body, headers={"content-type": "application/json"}
            )
            assert response.status_code == 422, response.text
            assert response.json()["errors"][0]["loc"][-1] == 1  # the activation named
        listing = await client.get("/v1/operations")
        assert listing.status_code == 200 and listing.json()["operations"] == []


async def test_an_unreadable_stored_operation_leaves_listings_working(settings):
    """One unreadable record (say written by another version) is left out of listings, and
    its own read is a problem that says so; it never breaks the others."""
    async with running_app(settings) as client:
        good = await client.post("/v1/tokenizations", json={"model": "tiny-gpt2", "texts": ["hi"]})
        assert good.status_code in (200, 202), good.text
        resources = client._transport.app.state.resources
        bad_id = "f" * 64
        await resources.operations.submit(bad_id, OperationKind.tokenization, "{}")
        await resources.redis.hset(resources.operations.key(bad_id), "result", "[NaN]")
        await resources.redis.hset(resources.operations.key(bad_id), "state", "succeeded")
        listing = await client.get("/v1/operations")
        assert listing.status_code == 200
        assert [op["id"] for op in listing.json()["operations"]] == [good.json()["id"]]
        unreadable = await client.get(f"/v1/operations/{bad_id}")
        assert unreadable.status_code == 500
        assert "cannot be read" in unreadable.json()["detail"]
        assert unreadable.headers["x-request-id"]


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "\nState:\tZ" not in state  # a zombie has exited (whoever reaps it)


def test_a_data_dir_has_one_embedded_redis_and_a_second_owner_is_refused(tmp_path):
    """Finding 6: two `serve` on one data dir clobbered each other's Redis socket."""
    first = EmbeddedRedis(tmp_path / "redis")
    first.start()
    try:
        with pytest.raises(DataDirInUse, match=f"in use by process {os.getpid()}"):
            EmbeddedRedis(tmp_path / "redis").start()
        assert first.answers()
    finally:
        first.stop()
    again = EmbeddedRedis(tmp_path / "redis")
    again.start()
    again.stop()


def test_the_embedded_redis_dies_with_its_parent_even_of_sigkill(tmp_path):
    """Finding 6: after `kill -9` of `serve` its redis-server lived on."""
    script = (
        "import sys, time; from pathlib import Path; "
        "from autointerp.store.embedded import EmbeddedRedis; "
        "e = EmbeddedRedis(Path(sys.argv[1])); e.start(); "
        "print(e._process.pid, flush=True); time.sleep(600)"
    )
    parent = subprocess.Popen(
        [sys.executable, "-c", script, str(tmp_path / "redis")], stdout=subprocess.PIPE, text=True
    )
    redis_pid = int(parent.stdout.readline())
    assert _alive(redis_pid)
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 10
    while _alive(redis_pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(redis_pid)
    restarted = EmbeddedRedis(tmp_path / "redis")  # the lock died with its owner
    restarted.start()
    restarted.stop()


async def test_a_text_longer_than_the_model_takes_is_an_invalid_request(settings):
    """Low finding: input errors found late failed as `internal`."""
    long_text = " ".join(f"word{i}" for i in range(700))  # over MiniLM's 512 positions
    body = {"model": "minilm-l6", "texts": ["short", long_text], "layer": 0, "neurons": [0]}
    async with running_app(settings) as client:
        response = await client.post("/v1/activations", json=body)
        done = await wait_for_operation(client, response.json()["id"])
    assert done["state"] == "failed"
    assert done["error"]["type"].endswith("/invalid-request"), done["error"]
    assert "texts[1] is" in done["error"]["detail"] and "512 positions" in done["error"]["detail"]
