from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast






T = TypeVar("T", bound="ScoreOut")



@_attrs_define
class ScoreOut:
    """ Scores on pooled tokens; null where undefined (constant vectors, silent neuron).

        Attributes:
            absolute_deviation_explained (float | None):
            correlation (float | None):
            r_squared (float | None):
            tokens (int):
     """

    absolute_deviation_explained: float | None
    correlation: float | None
    r_squared: float | None
    tokens: int





    def to_dict(self) -> dict[str, Any]:
        absolute_deviation_explained: float | None
        absolute_deviation_explained = self.absolute_deviation_explained

        correlation: float | None
        correlation = self.correlation

        r_squared: float | None
        r_squared = self.r_squared

        tokens = self.tokens


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "absolute_deviation_explained": absolute_deviation_explained,
            "correlation": correlation,
            "r_squared": r_squared,
            "tokens": tokens,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        def _parse_absolute_deviation_explained(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        absolute_deviation_explained = _parse_absolute_deviation_explained(d.pop("absolute_deviation_explained"))


        def _parse_correlation(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        correlation = _parse_correlation(d.pop("correlation"))


        def _parse_r_squared(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        r_squared = _parse_r_squared(d.pop("r_squared"))


        tokens = d.pop("tokens")

        score_out = cls(
            absolute_deviation_explained=absolute_deviation_explained,
            correlation=correlation,
            r_squared=r_squared,
            tokens=tokens,
        )

        return score_out

