"""The scan memory guard's prediction against the peak resident memory of real scans, each
measured in a fresh process (tests/scan_memory_probe.py)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from autointerp.interp.records import ScanSettings
from autointerp.subjects.catalog import ModelCatalog, builtin_sources
from autointerp.subjects.memory import scan_memory

pytestmark = pytest.mark.integration

PROBE = Path(__file__).resolve().parent.parent / "scan_memory_probe.py"
STREAMS = 2

# Three kinds of scan: the defaults on an encoder layer; ten layers of a gated decoder; a
# large selection of long excerpts, where the selections are most of the peak. The peak grows
# with the batches a scan has run (the allocators keep more blocks) and levels off after some
# tens: the defaults run a hundred.
CONFIGURATIONS = {
    "defaults": ("minilm-l6", {"layers": [0], "max_tokens": 100_000}),
    "ten decoder layers": (
        "smollm2-135m",
        {"layers": list(range(0, 30, 3)), "batch_size": 32, "max_tokens": 6 * 32 * 64},
    ),
    "large selections": (
        "minilm-l6",
        {
            "layers": [0],
            "excerpt_tokens": 512,
            "top_k": 200,
            "random_k": 100,
            "max_tokens": 6 * 16 * 512,
        },
    ),
}


@pytest.mark.parametrize("name", list(CONFIGURATIONS))
def test_predicted_scan_memory_is_within_a_quarter_of_the_measured_peak(name, data_dir):
    model, fields = CONFIGURATIONS[name]
    spec = {"model": model, "data_dir": str(data_dir), "settings": fields, "streams": STREAMS}
    run = subprocess.run(
        [sys.executable, str(PROBE), json.dumps(spec)],
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    measured = json.loads(run.stdout.splitlines()[-1])
    peak = measured["peak"] - measured["baseline"]
    shape = ModelCatalog(builtin_sources()).shape(model)
    predicted = scan_memory(shape, ScanSettings(**fields), STREAMS).peak
    assert 0.75 * peak <= predicted <= 1.25 * peak, (
        f"{name}: predicted {predicted / 2**20:.0f} MB, measured {peak / 2**20:.0f} MB"
    )
