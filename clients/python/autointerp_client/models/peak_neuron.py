from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast






T = TypeVar("T", bound="PeakNeuron")



@_attrs_define
class PeakNeuron:
    """ A neuron of the overall list: its peak over the text, and where.

        Attributes:
            activation (float): Its activation, signed as recorded.
            correlation (float | None): That explanation's top-and-random score.
            explanation (None | str): Its best cached explanation of the request's polarity (highest correlation, as when
                the search ran); null if it has none, or if it is not among the first 512 distinct neurons looked up (the
                overall list's first).
            index (int):
            layer (int):
            neuron_url (str): The neuron's record, with every result.
            token (int): Position in `tokens` of its peak.
     """

    activation: float
    correlation: float | None
    explanation: None | str
    index: int
    layer: int
    neuron_url: str
    token: int





    def to_dict(self) -> dict[str, Any]:
        activation = self.activation

        correlation: float | None
        correlation = self.correlation

        explanation: None | str
        explanation = self.explanation

        index = self.index

        layer = self.layer

        neuron_url = self.neuron_url

        token = self.token


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "activation": activation,
            "correlation": correlation,
            "explanation": explanation,
            "index": index,
            "layer": layer,
            "neuron_url": neuron_url,
            "token": token,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        activation = d.pop("activation")

        def _parse_correlation(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        correlation = _parse_correlation(d.pop("correlation"))


        def _parse_explanation(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        explanation = _parse_explanation(d.pop("explanation"))


        index = d.pop("index")

        layer = d.pop("layer")

        neuron_url = d.pop("neuron_url")

        token = d.pop("token")

        peak_neuron = cls(
            activation=activation,
            correlation=correlation,
            explanation=explanation,
            index=index,
            layer=layer,
            neuron_url=neuron_url,
            token=token,
        )

        return peak_neuron

