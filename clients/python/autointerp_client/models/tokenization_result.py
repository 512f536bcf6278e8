from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
from typing import Literal, cast

if TYPE_CHECKING:
  from ..models.tokenized_text import TokenizedText





T = TypeVar("T", bound="TokenizationResult")



@_attrs_define
class TokenizationResult:
    """ The result of a tokenization operation.

        Attributes:
            model (str):
            model_revision (str):
            texts (list[TokenizedText]):
            kind (Literal['tokenization'] | Unset):  Default: 'tokenization'.
     """

    model: str
    model_revision: str
    texts: list[TokenizedText]
    kind: Literal['tokenization'] | Unset = 'tokenization'





    def to_dict(self) -> dict[str, Any]:
        from ..models.tokenized_text import TokenizedText # noqa: PLC0415
        model = self.model

        model_revision = self.model_revision

        texts = []
        for texts_item_data in self.texts:
            texts_item = texts_item_data.to_dict()
            texts.append(texts_item)



        kind = self.kind


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "model": model,
            "model_revision": model_revision,
            "texts": texts,
        })
        if kind is not UNSET:
            field_dict["kind"] = kind

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.tokenized_text import TokenizedText # noqa: PLC0415
        d = dict(src_dict)
        model = d.pop("model")

        model_revision = d.pop("model_revision")

        texts = []
        _texts = d.pop("texts")
        for texts_item_data in (_texts):
            texts_item = TokenizedText.from_dict(texts_item_data)



            texts.append(texts_item)


        kind = cast(Literal['tokenization'] | Unset , d.pop("kind", UNSET))
        if kind != 'tokenization'and not isinstance(kind, Unset):
            raise ValueError(f"kind must match const 'tokenization', got '{kind}'")

        tokenization_result = cls(
            model=model,
            model_revision=model_revision,
            texts=texts,
            kind=kind,
        )

        return tokenization_result

