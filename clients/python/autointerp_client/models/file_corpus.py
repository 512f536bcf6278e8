from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import Literal, cast






T = TypeVar("T", bound="FileCorpus")



@_attrs_define
class FileCorpus:
    """ A JSONL (one object per line) or plain-text file in the server's corpora directory.

        Attributes:
            path (str): Relative to the corpora dir.
            text_field (str | Unset):  Default: 'text'.
            type_ (Literal['file'] | Unset):  Default: 'file'.
     """

    path: str
    text_field: str | Unset = 'text'
    type_: Literal['file'] | Unset = 'file'





    def to_dict(self) -> dict[str, Any]:
        path = self.path

        text_field = self.text_field

        type_ = self.type_


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "path": path,
        })
        if text_field is not UNSET:
            field_dict["text_field"] = text_field
        if type_ is not UNSET:
            field_dict["type"] = type_

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        path = d.pop("path")

        text_field = d.pop("text_field", UNSET)

        type_ = cast(Literal['file'] | Unset , d.pop("type", UNSET))
        if type_ != 'file'and not isinstance(type_, Unset):
            raise ValueError(f"type must match const 'file', got '{type_}'")

        file_corpus = cls(
            path=path,
            text_field=text_field,
            type_=type_,
        )

        return file_corpus

