from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast






T = TypeVar("T", bound="ExcerptIn")



@_attrs_define
class ExcerptIn:
    """ One excerpt given inline: tokens and the neuron's activation at each.

        Attributes:
            activations (list[float]):
            tokens (list[str]):
     """

    activations: list[float]
    tokens: list[str]





    def to_dict(self) -> dict[str, Any]:
        activations = self.activations



        tokens = self.tokens




        field_dict: dict[str, Any] = {}

        field_dict.update({
            "activations": activations,
            "tokens": tokens,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        activations = cast(list[float], d.pop("activations"))


        tokens = cast(list[str], d.pop("tokens"))


        excerpt_in = cls(
            activations=activations,
            tokens=tokens,
        )

        return excerpt_in

