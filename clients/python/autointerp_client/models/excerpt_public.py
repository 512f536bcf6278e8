from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast






T = TypeVar("T", bound="ExcerptPublic")



@_attrs_define
class ExcerptPublic:
    """ One excerpt of a neuron record.

        Attributes:
            activations (list[float]):
            excerpt_id (int):
            tokens (list[str]):
     """

    activations: list[float]
    excerpt_id: int
    tokens: list[str]





    def to_dict(self) -> dict[str, Any]:
        activations = self.activations



        excerpt_id = self.excerpt_id

        tokens = self.tokens




        field_dict: dict[str, Any] = {}

        field_dict.update({
            "activations": activations,
            "excerpt_id": excerpt_id,
            "tokens": tokens,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        activations = cast(list[float], d.pop("activations"))


        excerpt_id = d.pop("excerpt_id")

        tokens = cast(list[str], d.pop("tokens"))


        excerpt_public = cls(
            activations=activations,
            excerpt_id=excerpt_id,
            tokens=tokens,
        )

        return excerpt_public

