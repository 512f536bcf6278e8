from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.operation_state import OperationState
from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="BatchChild")



@_attrs_define
class BatchChild:
    """ One neuron's explanation operation within a batch.

        Attributes:
            index (int):
            operation_id (str):
            state (OperationState): Where an operation is in its life.
            correlation (float | None | Unset): Test-split score.
            explanation (None | str | Unset):
     """

    index: int
    operation_id: str
    state: OperationState
    correlation: float | None | Unset = UNSET
    explanation: None | str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        index = self.index

        operation_id = self.operation_id

        state = self.state.value

        correlation: float | None | Unset
        if isinstance(self.correlation, Unset):
            correlation = UNSET
        else:
            correlation = self.correlation

        explanation: None | str | Unset
        if isinstance(self.explanation, Unset):
            explanation = UNSET
        else:
            explanation = self.explanation


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "index": index,
            "operation_id": operation_id,
            "state": state,
        })
        if correlation is not UNSET:
            field_dict["correlation"] = correlation
        if explanation is not UNSET:
            field_dict["explanation"] = explanation

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        index = d.pop("index")

        operation_id = d.pop("operation_id")

        state = OperationState(d.pop("state"))




        def _parse_correlation(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        correlation = _parse_correlation(d.pop("correlation", UNSET))


        def _parse_explanation(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        explanation = _parse_explanation(d.pop("explanation", UNSET))


        batch_child = cls(
            index=index,
            operation_id=operation_id,
            state=state,
            correlation=correlation,
            explanation=explanation,
        )

        return batch_child

