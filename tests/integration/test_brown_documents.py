"""The built-in Brown corpus as a scan reads it: one text per document (its sentences joined
as running text), and the model's own separator only between documents."""

import re

import pytest

from autointerp.schemas.activations import BuiltinCorpus
from autointerp.subjects.catalog import ModelCatalog, builtin_sources
from autointerp.subjects.corpora import Corpora
from autointerp.subjects.loading import ModelLoader
from autointerp.subjects.scan import document_separator, pack_excerpts

pytestmark = pytest.mark.integration

MAX_TOKENS = 5000


@pytest.fixture(scope="module")
def loader(data_dir):
    return ModelLoader(ModelCatalog(builtin_sources()), data_dir / "models")


def _brown_documents(folder):
    """Written here, independent of the service: each Brown file's words, tags stripped."""
    for path in sorted(p for p in folder.iterdir() if re.fullmatch(r"c[a-r]\d\d", p.name)):
        yield " ".join(token.rsplit("/", 1)[0] for token in path.read_text().split())


@pytest.mark.parametrize(("name", "separator"), [("smollm2-135m", 2), ("minilm-l6", 102)])
def test_brown_scan_has_a_separator_per_document_not_per_sentence(
    loader, data_dir, name, separator
):
    tokenizer = loader.tokenizer(name)
    assert document_separator(tokenizer) == [separator]  # <|im_end|>, [SEP]
    corpus = Corpora(data_dir / "corpora")
    windows = list(pack_excerpts(corpus.texts(BuiltinCorpus()), tokenizer, 64, MAX_TOKENS))
    stream = [token for window in windows for token in window]
    assert len(stream) == MAX_TOKENS
    # How many documents those tokens reach into, counted from the files themselves.
    documents, covered = 0, 0
    for text in _brown_documents(corpus.brown_dir()):
        documents += 1
        covered += len(tokenizer(text, add_special_tokens=False)["input_ids"]) + 1
        if covered >= MAX_TOKENS:
            break
    positions = [i for i, token in enumerate(stream) if token == separator]
    assert 1 <= len(positions) <= documents <= 4, (positions, documents)
    # Each one closes a document of some thousand tokens, never a ~25-token sentence.
    gaps = [b - a for a, b in zip([-1, *positions], positions, strict=False)]
    assert min(gaps) > 1000, gaps
    # Running text: the first document's words in order, sentences joined by spaces.
    first = tokenizer.decode(stream[: positions[0]]).lower().replace(" ", "")
    assert first.startswith("thefultoncountygrandjurysaidfridayaninvestigation")
    assert "tookplace.thejuryfurthersaid" in first
