from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="RankedNeuron")



@_attrs_define
class RankedNeuron:
    """ A neuron of a layer with its best cached score.

        Attributes:
            correlation (float):
            explanation (str):
            index (int):
            operation_id (str):
     """

    correlation: float
    explanation: str
    index: int
    operation_id: str





    def to_dict(self) -> dict[str, Any]:
        correlation = self.correlation

        explanation = self.explanation

        index = self.index

        operation_id = self.operation_id


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "correlation": correlation,
            "explanation": explanation,
            "index": index,
            "operation_id": operation_id,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        correlation = d.pop("correlation")

        explanation = d.pop("explanation")

        index = d.pop("index")

        operation_id = d.pop("operation_id")

        ranked_neuron = cls(
            correlation=correlation,
            explanation=explanation,
            index=index,
            operation_id=operation_id,
        )

        return ranked_neuron

