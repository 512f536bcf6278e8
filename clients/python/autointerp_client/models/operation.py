from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.operation_kind import OperationKind
from ..models.operation_state import OperationState
from ..types import UNSET, Unset
from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.activations_result import ActivationsResult
  from ..models.batch_result import BatchResult
  from ..models.explanation_result import ExplanationResult
  from ..models.import_result import ImportResult
  from ..models.neuron_search_result import NeuronSearchResult
  from ..models.problem import Problem
  from ..models.progress import Progress
  from ..models.scan_result import ScanResult
  from ..models.score_result import ScoreResult
  from ..models.simulation_result import SimulationResult
  from ..models.tokenization_result import TokenizationResult





T = TypeVar("T", bound="Operation")



@_attrs_define
class Operation:
    """ An asynchronous operation; its id is the hash of its canonical request.

        Attributes:
            created_at (datetime.datetime):
            id (str):
            kind (OperationKind): What an operation computes.
            progress (Progress): How far a running operation has come.
            state (OperationState): Where an operation is in its life.
            updated_at (datetime.datetime):
            error (None | Problem | Unset): Why the operation failed.
            result (ActivationsResult | BatchResult | ExplanationResult | ImportResult | NeuronSearchResult | None |
                ScanResult | ScoreResult | SimulationResult | TokenizationResult | Unset):
     """

    created_at: datetime.datetime
    id: str
    kind: OperationKind
    progress: Progress
    state: OperationState
    updated_at: datetime.datetime
    error: None | Problem | Unset = UNSET
    result: ActivationsResult | BatchResult | ExplanationResult | ImportResult | NeuronSearchResult | None | ScanResult | ScoreResult | SimulationResult | TokenizationResult | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.activations_result import ActivationsResult # noqa: PLC0415
        from ..models.batch_result import BatchResult # noqa: PLC0415
        from ..models.explanation_result import ExplanationResult # noqa: PLC0415
        from ..models.import_result import ImportResult # noqa: PLC0415
        from ..models.neuron_search_result import NeuronSearchResult # noqa: PLC0415
        from ..models.problem import Problem # noqa: PLC0415
        from ..models.progress import Progress # noqa: PLC0415
        from ..models.scan_result import ScanResult # noqa: PLC0415
        from ..models.score_result import ScoreResult # noqa: PLC0415
        from ..models.simulation_result import SimulationResult # noqa: PLC0415
        from ..models.tokenization_result import TokenizationResult # noqa: PLC0415
        created_at = self.created_at.isoformat()

        id = self.id

        kind = self.kind.value

        progress = self.progress.to_dict()

        state = self.state.value

        updated_at = self.updated_at.isoformat()

        error: dict[str, Any] | None | Unset
        if isinstance(self.error, Unset):
            error = UNSET
        elif isinstance(self.error, Problem):
            error = self.error.to_dict()
        else:
            error = self.error

        result: dict[str, Any] | None | Unset
        if isinstance(self.result, Unset):
            result = UNSET
        elif isinstance(self.result, TokenizationResult):
            result = self.result.to_dict()
        elif isinstance(self.result, ActivationsResult):
            result = self.result.to_dict()
        elif isinstance(self.result, ScanResult):
            result = self.result.to_dict()
        elif isinstance(self.result, ExplanationResult):
            result = self.result.to_dict()
        elif isinstance(self.result, SimulationResult):
            result = self.result.to_dict()
        elif isinstance(self.result, ScoreResult):
            result = self.result.to_dict()
        elif isinstance(self.result, BatchResult):
            result = self.result.to_dict()
        elif isinstance(self.result, NeuronSearchResult):
            result = self.result.to_dict()
        elif isinstance(self.result, ImportResult):
            result = self.result.to_dict()
        else:
            result = self.result


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "created_at": created_at,
            "id": id,
            "kind": kind,
            "progress": progress,
            "state": state,
            "updated_at": updated_at,
        })
        if error is not UNSET:
            field_dict["error"] = error
        if result is not UNSET:
            field_dict["result"] = result

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.activations_result import ActivationsResult # noqa: PLC0415
        from ..models.batch_result import BatchResult # noqa: PLC0415
        from ..models.explanation_result import ExplanationResult # noqa: PLC0415
        from ..models.import_result import ImportResult # noqa: PLC0415
        from ..models.neuron_search_result import NeuronSearchResult # noqa: PLC0415
        from ..models.problem import Problem # noqa: PLC0415
        from ..models.progress import Progress # noqa: PLC0415
        from ..models.scan_result import ScanResult # noqa: PLC0415
        from ..models.score_result import ScoreResult # noqa: PLC0415
        from ..models.simulation_result import SimulationResult # noqa: PLC0415
        from ..models.tokenization_result import TokenizationResult # noqa: PLC0415
        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




        id = d.pop("id")

        kind = OperationKind(d.pop("kind"))




        progress = Progress.from_dict(d.pop("progress"))




        state = OperationState(d.pop("state"))




        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))




        def _parse_error(data: object) -> None | Problem | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                error_type_0 = Problem.from_dict(data)



                return error_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Problem | Unset, data)

        error = _parse_error(d.pop("error", UNSET))


        def _parse_result(data: object) -> ActivationsResult | BatchResult | ExplanationResult | ImportResult | NeuronSearchResult | None | ScanResult | ScoreResult | SimulationResult | TokenizationResult | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                result_type_0_type_0 = TokenizationResult.from_dict(data)



                return result_type_0_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                result_type_0_type_1 = ActivationsResult.from_dict(data)



                return result_type_0_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                result_type_0_type_2 = ScanResult.from_dict(data)



                return result_type_0_type_2
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                result_type_0_type_3 = ExplanationResult.from_dict(data)



                return result_type_0_type_3
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                result_type_0_type_4 = SimulationResult.from_dict(data)



                return result_type_0_type_4
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                result_type_0_type_5 = ScoreResult.from_dict(data)



                return result_type_0_type_5
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                result_type_0_type_6 = BatchResult.from_dict(data)



                return result_type_0_type_6
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                result_type_0_type_7 = NeuronSearchResult.from_dict(data)



                return result_type_0_type_7
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                result_type_0_type_8 = ImportResult.from_dict(data)



                return result_type_0_type_8
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ActivationsResult | BatchResult | ExplanationResult | ImportResult | NeuronSearchResult | None | ScanResult | ScoreResult | SimulationResult | TokenizationResult | Unset, data)

        result = _parse_result(d.pop("result", UNSET))


        operation = cls(
            created_at=created_at,
            id=id,
            kind=kind,
            progress=progress,
            state=state,
            updated_at=updated_at,
            error=error,
            result=result,
        )

        return operation

