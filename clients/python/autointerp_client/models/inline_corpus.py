from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
from typing import Literal, cast






T = TypeVar("T", bound="InlineCorpus")



@_attrs_define
class InlineCorpus:
    """ Texts given in the request.

        Attributes:
            texts (list[str]):
            type_ (Literal['texts'] | Unset):  Default: 'texts'.
     """

    texts: list[str]
    type_: Literal['texts'] | Unset = 'texts'





    def to_dict(self) -> dict[str, Any]:
        texts = self.texts



        type_ = self.type_


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "texts": texts,
        })
        if type_ is not UNSET:
            field_dict["type"] = type_

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        texts = cast(list[str], d.pop("texts"))


        type_ = cast(Literal['texts'] | Unset , d.pop("type", UNSET))
        if type_ != 'texts'and not isinstance(type_, Unset):
            raise ValueError(f"type must match const 'texts', got '{type_}'")

        inline_corpus = cls(
            texts=texts,
            type_=type_,
        )

        return inline_corpus

