from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset






T = TypeVar("T", bound="Progress")



@_attrs_define
class Progress:
    """ How far a running operation has come.

        Attributes:
            fraction (float):
            message (str | Unset):  Default: ''.
     """

    fraction: float
    message: str | Unset = ''





    def to_dict(self) -> dict[str, Any]:
        fraction = self.fraction

        message = self.message


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "fraction": fraction,
        })
        if message is not UNSET:
            field_dict["message"] = message

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        fraction = d.pop("fraction")

        message = d.pop("message", UNSET)

        progress = cls(
            fraction=fraction,
            message=message,
        )

        return progress

