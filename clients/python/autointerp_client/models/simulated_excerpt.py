from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast






T = TypeVar("T", bound="SimulatedExcerpt")



@_attrs_define
class SimulatedExcerpt:
    """ Predicted activations (0-10) per token.

        Attributes:
            tokens (list[str]):
            values (list[float]):
     """

    tokens: list[str]
    values: list[float]





    def to_dict(self) -> dict[str, Any]:
        tokens = self.tokens



        values = self.values




        field_dict: dict[str, Any] = {}

        field_dict.update({
            "tokens": tokens,
            "values": values,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        tokens = cast(list[str], d.pop("tokens"))


        values = cast(list[float], d.pop("values"))


        simulated_excerpt = cls(
            tokens=tokens,
            values=values,
        )

        return simulated_excerpt

