from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.builtin_corpus import BuiltinCorpus
  from ..models.file_corpus import FileCorpus
  from ..models.hugging_face_corpus import HuggingFaceCorpus
  from ..models.inline_corpus import InlineCorpus





T = TypeVar("T", bound="ScanRequest")



@_attrs_define
class ScanRequest:
    """ One pass over a corpus that builds the neuron record of every neuron of some layers.

        Attributes:
            corpus (BuiltinCorpus | FileCorpus | HuggingFaceCorpus | InlineCorpus):
            model (str): A model name from GET /v1/models.
            batch_size (int | Unset):  Default: 16.
            excerpt_tokens (int | Unset):  Default: 64.
            layer_groups (int | Unset): Split the layers into this many groups, each scanned as a child operation on the
                model queue, so that several workers scan one model at once; the scan's records equal an unsplit scan's. 0
                splits by this server's memory budget per scan. Default: 1.
            layers (list[int] | None | Unset): Layers to record; all when omitted.
            max_tokens (int | Unset):  Default: 200000.
            quantile_bins (int | Unset): Also sample excerpts within this many quantile bins of excerpt max activation
                (docs/method.md); 0 records none. Default: 0.
            quantile_k (int | Unset): Excerpts per quantile bin. Default: 5.
            random_k (int | Unset):  Default: 15.
            seed (int | Unset):  Default: 0.
            top_k (int | Unset):  Default: 20.
     """

    corpus: BuiltinCorpus | FileCorpus | HuggingFaceCorpus | InlineCorpus
    model: str
    batch_size: int | Unset = 16
    excerpt_tokens: int | Unset = 64
    layer_groups: int | Unset = 1
    layers: list[int] | None | Unset = UNSET
    max_tokens: int | Unset = 200000
    quantile_bins: int | Unset = 0
    quantile_k: int | Unset = 5
    random_k: int | Unset = 15
    seed: int | Unset = 0
    top_k: int | Unset = 20





    def to_dict(self) -> dict[str, Any]:
        from ..models.builtin_corpus import BuiltinCorpus # noqa: PLC0415
        from ..models.file_corpus import FileCorpus # noqa: PLC0415
        from ..models.hugging_face_corpus import HuggingFaceCorpus # noqa: PLC0415
        from ..models.inline_corpus import InlineCorpus # noqa: PLC0415
        corpus: dict[str, Any]
        if isinstance(self.corpus, InlineCorpus):
            corpus = self.corpus.to_dict()
        elif isinstance(self.corpus, BuiltinCorpus):
            corpus = self.corpus.to_dict()
        elif isinstance(self.corpus, FileCorpus):
            corpus = self.corpus.to_dict()
        else:
            corpus = self.corpus.to_dict()


        model = self.model

        batch_size = self.batch_size

        excerpt_tokens = self.excerpt_tokens

        layer_groups = self.layer_groups

        layers: list[int] | None | Unset
        if isinstance(self.layers, Unset):
            layers = UNSET
        elif isinstance(self.layers, list):
            layers = self.layers


        else:
            layers = self.layers

        max_tokens = self.max_tokens

        quantile_bins = self.quantile_bins

        quantile_k = self.quantile_k

        random_k = self.random_k

        seed = self.seed

        top_k = self.top_k


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "corpus": corpus,
            "model": model,
        })
        if batch_size is not UNSET:
            field_dict["batch_size"] = batch_size
        if excerpt_tokens is not UNSET:
            field_dict["excerpt_tokens"] = excerpt_tokens
        if layer_groups is not UNSET:
            field_dict["layer_groups"] = layer_groups
        if layers is not UNSET:
            field_dict["layers"] = layers
        if max_tokens is not UNSET:
            field_dict["max_tokens"] = max_tokens
        if quantile_bins is not UNSET:
            field_dict["quantile_bins"] = quantile_bins
        if quantile_k is not UNSET:
            field_dict["quantile_k"] = quantile_k
        if random_k is not UNSET:
            field_dict["random_k"] = random_k
        if seed is not UNSET:
            field_dict["seed"] = seed
        if top_k is not UNSET:
            field_dict["top_k"] = top_k

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.builtin_corpus import BuiltinCorpus # noqa: PLC0415
        from ..models.file_corpus import FileCorpus # noqa: PLC0415
        from ..models.hugging_face_corpus import HuggingFaceCorpus # noqa: PLC0415
        from ..models.inline_corpus import InlineCorpus # noqa: PLC0415
        d = dict(src_dict)
        def _parse_corpus(data: object) -> BuiltinCorpus | FileCorpus | HuggingFaceCorpus | InlineCorpus:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                corpus_type_0 = InlineCorpus.from_dict(data)



                return corpus_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                corpus_type_1 = BuiltinCorpus.from_dict(data)



                return corpus_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                corpus_type_2 = FileCorpus.from_dict(data)



                return corpus_type_2
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            corpus_type_3 = HuggingFaceCorpus.from_dict(data)



            return corpus_type_3

        corpus = _parse_corpus(d.pop("corpus"))


        model = d.pop("model")

        batch_size = d.pop("batch_size", UNSET)

        excerpt_tokens = d.pop("excerpt_tokens", UNSET)

        layer_groups = d.pop("layer_groups", UNSET)

        def _parse_layers(data: object) -> list[int] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                layers_type_0 = cast(list[int], data)

                return layers_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[int] | None | Unset, data)

        layers = _parse_layers(d.pop("layers", UNSET))


        max_tokens = d.pop("max_tokens", UNSET)

        quantile_bins = d.pop("quantile_bins", UNSET)

        quantile_k = d.pop("quantile_k", UNSET)

        random_k = d.pop("random_k", UNSET)

        seed = d.pop("seed", UNSET)

        top_k = d.pop("top_k", UNSET)

        scan_request = cls(
            corpus=corpus,
            model=model,
            batch_size=batch_size,
            excerpt_tokens=excerpt_tokens,
            layer_groups=layer_groups,
            layers=layers,
            max_tokens=max_tokens,
            quantile_bins=quantile_bins,
            quantile_k=quantile_k,
            random_k=random_k,
            seed=seed,
            top_k=top_k,
        )

        return scan_request

