"""The committed contract matches the code: openapi/openapi.json and the generated client."""

import filecmp
import json
import shutil
import subprocess
import sys
from pathlib import Path

from autointerp.api.app import create_app
from autointerp.config import Settings

REPO = Path(__file__).resolve().parents[2]
SPEC = REPO / "openapi" / "openapi.json"
CLIENT = REPO / "clients" / "python"


def current_spec() -> str:
    spec = create_app(Settings(_env_file=None)).openapi()
    return json.dumps(spec, indent=2, sort_keys=True) + "\n"


def test_committed_spec_matches_the_app():
    assert SPEC.read_text() == current_spec(), "run scripts/generate-client.sh and commit"


def test_every_operation_has_an_id_and_documents_problems():
    spec = json.loads(SPEC.read_text())
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            assert operation.get("operationId"), (method, path)
            if path.startswith("/v1"):
                problem = operation["responses"].get("500", {}).get("content", {})
                assert "application/problem+json" in problem, (method, path)


def _differences(left: Path, right: Path) -> list[str]:
    # Local install and tool leftovers, not generated files.
    ignored = ["__pycache__", "autointerp_client.egg-info", "build", ".ruff_cache"]
    comparison = filecmp.dircmp(left, right, ignore=ignored)
    found = [f"only in {left.name}: {n}" for n in comparison.left_only]
    found += [f"only in generated: {n}" for n in comparison.right_only]
    found += [f"differs: {n}" for n in comparison.diff_files]
    for name in comparison.common_dirs:
        found += _differences(left / name, right / name)
    return found


def test_committed_client_matches_the_spec(tmp_path):
    spec = tmp_path / "openapi.json"
    spec.write_text(current_spec())
    generator = Path(sys.executable).parent / "openapi-python-client"
    output = tmp_path / "python"
    subprocess.run(
        [
            str(generator),
            "generate",
            "--path",
            str(spec),
            "--config",
            str(REPO / "clients" / "generator-config.yaml"),
            "--meta",
            "setup",
            "--output-path",
            str(output),
            "--overwrite",
        ],
        check=True,
        capture_output=True,
    )
    shutil.rmtree(output / "autointerp_client" / "__pycache__", ignore_errors=True)
    assert _differences(CLIENT, output) == [], "run scripts/generate-client.sh and commit"
