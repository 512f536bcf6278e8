from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.method_protocol import MethodProtocol
from ..models.neuron_result_kind import NeuronResultKind
from ..models.polarity import Polarity
from ..models.simulator_kind import SimulatorKind
from ..models.split import Split
from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="NeuronResult")



@_attrs_define
class NeuronResult:
    """ A cached explanation or score of this neuron, with its headline score.

        Attributes:
            correlation (float | None): Top-and-random correlation on `split`.
            explanation (str):
            kind (NeuronResultKind):
            operation_id (str):
            polarity (Polarity): Which side of a signed neuron is explained: max(a, 0) or max(-a, 0).
            random_only_correlation (float | None):
            scan_id (None | str):
            simulator (SimulatorKind): How activations are predicted.
            split (Split): Where an excerpt is used.
            explainer (None | str | Unset): The LLM profile that wrote the explanation (explanations).
            protocol (MethodProtocol | Unset): Which rules an explanation or score follows.
     """

    correlation: float | None
    explanation: str
    kind: NeuronResultKind
    operation_id: str
    polarity: Polarity
    random_only_correlation: float | None
    scan_id: None | str
    simulator: SimulatorKind
    split: Split
    explainer: None | str | Unset = UNSET
    protocol: MethodProtocol | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        correlation: float | None
        correlation = self.correlation

        explanation = self.explanation

        kind = self.kind.value

        operation_id = self.operation_id

        polarity = self.polarity.value

        random_only_correlation: float | None
        random_only_correlation = self.random_only_correlation

        scan_id: None | str
        scan_id = self.scan_id

        simulator = self.simulator.value

        split = self.split.value

        explainer: None | str | Unset
        if isinstance(self.explainer, Unset):
            explainer = UNSET
        else:
            explainer = self.explainer

        protocol: str | Unset = UNSET
        if not isinstance(self.protocol, Unset):
            protocol = self.protocol.value



        field_dict: dict[str, Any] = {}

        field_dict.update({
            "correlation": correlation,
            "explanation": explanation,
            "kind": kind,
            "operation_id": operation_id,
            "polarity": polarity,
            "random_only_correlation": random_only_correlation,
            "scan_id": scan_id,
            "simulator": simulator,
            "split": split,
        })
        if explainer is not UNSET:
            field_dict["explainer"] = explainer
        if protocol is not UNSET:
            field_dict["protocol"] = protocol

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        def _parse_correlation(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        correlation = _parse_correlation(d.pop("correlation"))


        explanation = d.pop("explanation")

        kind = NeuronResultKind(d.pop("kind"))




        operation_id = d.pop("operation_id")

        polarity = Polarity(d.pop("polarity"))




        def _parse_random_only_correlation(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        random_only_correlation = _parse_random_only_correlation(d.pop("random_only_correlation"))


        def _parse_scan_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        scan_id = _parse_scan_id(d.pop("scan_id"))


        simulator = SimulatorKind(d.pop("simulator"))




        split = Split(d.pop("split"))




        def _parse_explainer(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        explainer = _parse_explainer(d.pop("explainer", UNSET))


        _protocol = d.pop("protocol", UNSET)
        protocol: MethodProtocol | Unset
        if isinstance(_protocol,  Unset):
            protocol = UNSET
        else:
            protocol = MethodProtocol(_protocol)




        neuron_result = cls(
            correlation=correlation,
            explanation=explanation,
            kind=kind,
            operation_id=operation_id,
            polarity=polarity,
            random_only_correlation=random_only_correlation,
            scan_id=scan_id,
            simulator=simulator,
            split=split,
            explainer=explainer,
            protocol=protocol,
        )

        return neuron_result

