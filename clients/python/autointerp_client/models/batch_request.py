from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.explainer_kind import ExplainerKind
from ..models.polarity import Polarity
from ..models.simulator_kind import SimulatorKind
from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="BatchRequest")



@_attrs_define
class BatchRequest:
    """ Explain (and score) a list of neurons of one layer, or all of them.

        Attributes:
            layer (int):
            model (str): A model name from GET /v1/models.
            explainer (ExplainerKind | Unset): How explanations are written.
            neurons (list[int] | None | Unset): Default: every neuron.
            polarity (Polarity | Unset): Which side of a signed neuron is explained: max(a, 0) or max(-a, 0).
            profile (str | Unset): A server-configured LLM profile. Default: 'local'.
            samples (int | Unset):  Default: 1.
            scan (None | str | Unset):
            simulator (SimulatorKind | Unset): How activations are predicted.
            temperature (float | Unset):  Default: 1.0.
     """

    layer: int
    model: str
    explainer: ExplainerKind | Unset = UNSET
    neurons: list[int] | None | Unset = UNSET
    polarity: Polarity | Unset = UNSET
    profile: str | Unset = 'local'
    samples: int | Unset = 1
    scan: None | str | Unset = UNSET
    simulator: SimulatorKind | Unset = UNSET
    temperature: float | Unset = 1.0





    def to_dict(self) -> dict[str, Any]:
        layer = self.layer

        model = self.model

        explainer: str | Unset = UNSET
        if not isinstance(self.explainer, Unset):
            explainer = self.explainer.value


        neurons: list[int] | None | Unset
        if isinstance(self.neurons, Unset):
            neurons = UNSET
        elif isinstance(self.neurons, list):
            neurons = self.neurons


        else:
            neurons = self.neurons

        polarity: str | Unset = UNSET
        if not isinstance(self.polarity, Unset):
            polarity = self.polarity.value


        profile = self.profile

        samples = self.samples

        scan: None | str | Unset
        if isinstance(self.scan, Unset):
            scan = UNSET
        else:
            scan = self.scan

        simulator: str | Unset = UNSET
        if not isinstance(self.simulator, Unset):
            simulator = self.simulator.value


        temperature = self.temperature


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "layer": layer,
            "model": model,
        })
        if explainer is not UNSET:
            field_dict["explainer"] = explainer
        if neurons is not UNSET:
            field_dict["neurons"] = neurons
        if polarity is not UNSET:
            field_dict["polarity"] = polarity
        if profile is not UNSET:
            field_dict["profile"] = profile
        if samples is not UNSET:
            field_dict["samples"] = samples
        if scan is not UNSET:
            field_dict["scan"] = scan
        if simulator is not UNSET:
            field_dict["simulator"] = simulator
        if temperature is not UNSET:
            field_dict["temperature"] = temperature

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        layer = d.pop("layer")

        model = d.pop("model")

        _explainer = d.pop("explainer", UNSET)
        explainer: ExplainerKind | Unset
        if isinstance(_explainer,  Unset):
            explainer = UNSET
        else:
            explainer = ExplainerKind(_explainer)




        def _parse_neurons(data: object) -> list[int] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                neurons_type_0 = cast(list[int], data)

                return neurons_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[int] | None | Unset, data)

        neurons = _parse_neurons(d.pop("neurons", UNSET))


        _polarity = d.pop("polarity", UNSET)
        polarity: Polarity | Unset
        if isinstance(_polarity,  Unset):
            polarity = UNSET
        else:
            polarity = Polarity(_polarity)




        profile = d.pop("profile", UNSET)

        samples = d.pop("samples", UNSET)

        def _parse_scan(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        scan = _parse_scan(d.pop("scan", UNSET))


        _simulator = d.pop("simulator", UNSET)
        simulator: SimulatorKind | Unset
        if isinstance(_simulator,  Unset):
            simulator = UNSET
        else:
            simulator = SimulatorKind(_simulator)




        temperature = d.pop("temperature", UNSET)

        batch_request = cls(
            layer=layer,
            model=model,
            explainer=explainer,
            neurons=neurons,
            polarity=polarity,
            profile=profile,
            samples=samples,
            scan=scan,
            simulator=simulator,
            temperature=temperature,
        )

        return batch_request

