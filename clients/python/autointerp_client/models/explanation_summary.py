from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.explanation_summary_kind import ExplanationSummaryKind
from ..models.polarity import Polarity
from ..models.simulator_kind import SimulatorKind
from typing import cast






T = TypeVar("T", bound="ExplanationSummary")



@_attrs_define
class ExplanationSummary:
    """ A stored explanation (or score of one) of a neuron, with its scores.

        Attributes:
            correlation (float | None): Top-and-random correlation.
            explainer (None | str):
            explanation (str):
            index (int):
            kind (ExplanationSummaryKind):
            layer (int):
            model (str):
            neuron_url (str): The neuron's record, with every result.
            operation_id (str): The operation that wrote or scored the explanation.
            polarity (Polarity): Which side of a signed neuron is explained: max(a, 0) or max(-a, 0).
            random_only_correlation (float | None):
            scan_id (None | str):
            simulator (SimulatorKind): How activations are predicted.
     """

    correlation: float | None
    explainer: None | str
    explanation: str
    index: int
    kind: ExplanationSummaryKind
    layer: int
    model: str
    neuron_url: str
    operation_id: str
    polarity: Polarity
    random_only_correlation: float | None
    scan_id: None | str
    simulator: SimulatorKind





    def to_dict(self) -> dict[str, Any]:
        correlation: float | None
        correlation = self.correlation

        explainer: None | str
        explainer = self.explainer

        explanation = self.explanation

        index = self.index

        kind = self.kind.value

        layer = self.layer

        model = self.model

        neuron_url = self.neuron_url

        operation_id = self.operation_id

        polarity = self.polarity.value

        random_only_correlation: float | None
        random_only_correlation = self.random_only_correlation

        scan_id: None | str
        scan_id = self.scan_id

        simulator = self.simulator.value


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "correlation": correlation,
            "explainer": explainer,
            "explanation": explanation,
            "index": index,
            "kind": kind,
            "layer": layer,
            "model": model,
            "neuron_url": neuron_url,
            "operation_id": operation_id,
            "polarity": polarity,
            "random_only_correlation": random_only_correlation,
            "scan_id": scan_id,
            "simulator": simulator,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        def _parse_correlation(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        correlation = _parse_correlation(d.pop("correlation"))


        def _parse_explainer(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        explainer = _parse_explainer(d.pop("explainer"))


        explanation = d.pop("explanation")

        index = d.pop("index")

        kind = ExplanationSummaryKind(d.pop("kind"))




        layer = d.pop("layer")

        model = d.pop("model")

        neuron_url = d.pop("neuron_url")

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




        explanation_summary = cls(
            correlation=correlation,
            explainer=explainer,
            explanation=explanation,
            index=index,
            kind=kind,
            layer=layer,
            model=model,
            neuron_url=neuron_url,
            operation_id=operation_id,
            polarity=polarity,
            random_only_correlation=random_only_correlation,
            scan_id=scan_id,
            simulator=simulator,
        )

        return explanation_summary

