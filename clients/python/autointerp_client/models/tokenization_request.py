from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast






T = TypeVar("T", bound="TokenizationRequest")



@_attrs_define
class TokenizationRequest:
    """ Texts to split into a model's tokens.

        Attributes:
            model (str): A model name from GET /v1/models.
            texts (list[str]):
     """

    model: str
    texts: list[str]





    def to_dict(self) -> dict[str, Any]:
        model = self.model

        texts = self.texts




        field_dict: dict[str, Any] = {}

        field_dict.update({
            "model": model,
            "texts": texts,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        model = d.pop("model")

        texts = cast(list[str], d.pop("texts"))


        tokenization_request = cls(
            model=model,
            texts=texts,
        )

        return tokenization_request

