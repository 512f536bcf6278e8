from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast






T = TypeVar("T", bound="ScoreHistogram")



@_attrs_define
class ScoreHistogram:
    """ How many neurons' best top-and-random scores fall in each bin (neurons without a
    defined score are not counted).

        Attributes:
            counts (list[int]):
            edges (list[float]): Bin edges, from -1 to 1: one more than counts.
     """

    counts: list[int]
    edges: list[float]





    def to_dict(self) -> dict[str, Any]:
        counts = self.counts



        edges = self.edges




        field_dict: dict[str, Any] = {}

        field_dict.update({
            "counts": counts,
            "edges": edges,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        counts = cast(list[int], d.pop("counts"))


        edges = cast(list[float], d.pop("edges"))


        score_histogram = cls(
            counts=counts,
            edges=edges,
        )

        return score_histogram

