"""The README's Python flows, verbatim, through the generated client over real HTTP: uvicorn
on a free loopback port, the real Redis, the in-process worker."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

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
    # The record's quantile samples: 4 bins of the default 5 excerpts, lowest first.
    assert [line for line in lines if line.startswith("quantiles ")] == [
        f"quantiles {low:.2f}-{low + 0.25:.2f}: 5 excerpts" for low in (0, 0.25, 0.5, 0.75)
    ]
