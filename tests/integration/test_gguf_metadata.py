"""The GGUF header reader that gives a model's shape agrees with the gguf package's reader on
the built-in models' files (it skips the arrays that make the package's reader slow)."""

from pathlib import Path

import gguf
import pytest

from autointerp.subjects.catalog import _gguf_metadata, builtin_sources

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("name", ["smollm2-135m", "qwen2.5-coder-0.5b"])
def test_header_metadata_equals_the_gguf_readers(name):
    path = Path(builtin_sources()[name].location)
    ours = _gguf_metadata(path)
    fields = gguf.GGUFReader(path).fields
    scalars = {k: f.contents() for k, f in fields.items() if not isinstance(f.contents(), list)}
    scalars = {k: v for k, v in scalars.items() if not k.startswith("GGUF.")}
    assert ours.keys() == scalars.keys()
    for key, value in scalars.items():
        assert ours[key] == pytest.approx(value) if isinstance(value, float) else ours[key] == value
    assert isinstance(ours["general.architecture"], str)
