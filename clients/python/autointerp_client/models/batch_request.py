from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.explainer_kind import ExplainerKind
from ..models.method_protocol import MethodProtocol
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
            protocol (MethodProtocol | Unset): Which rules an explanation or score follows.
            samples (int | Unset):  Default: 1.
            scan (None | str | Unset):
            seed (int | Unset): Seeds the explainer's sampling (the server's `seed` for an OpenAI-compatible profile, best
                effort there; the generator of a local model): another seed is another operation and another draw, the same seed
                the same operation. Default: 0.
            simulator (SimulatorKind | Unset): How activations are predicted.
            temperature (float | None | Unset): The explainer's sampling temperature; default: 0 (greedy, deterministic)
                with one sample, 1 with several. A draw asked for again after a greedy one is sampled at 1.
     """

    layer: int
    model: str
    explainer: ExplainerKind | Unset = UNSET
    neurons: list[int] | None | Unset = UNSET
    polarity: Polarity | Unset = UNSET
    profile: str | Unset = 'local'
    protocol: MethodProtocol | Unset = UNSET
    samples: int | Unset = 1
    scan: None | str | Unset = UNSET
    seed: int | Unset = 0
    simulator: SimulatorKind | Unset = UNSET
    temperature: float | None | Unset = UNSET





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

        protocol: str | Unset = UNSET
        if not isinstance(self.protocol, Unset):
            protocol = self.protocol.value


        samples = self.samples

        scan: None | str | Unset
        if isinstance(self.scan, Unset):
            scan = UNSET
        else:
            scan = self.scan

        seed = self.seed

        simulator: str | Unset = UNSET
        if not isinstance(self.simulator, Unset):
            simulator = self.simulator.value


        temperature: float | None | Unset
        if isinstance(self.temperature, Unset):
            temperature = UNSET
        else:
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
        if protocol is not UNSET:
            field_dict["protocol"] = protocol
        if samples is not UNSET:
            field_dict["samples"] = samples
        if scan is not UNSET:
            field_dict["scan"] = scan
        if seed is not UNSET:
            field_dict["seed"] = seed
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

        _protocol = d.pop("protocol", UNSET)
        protocol: MethodProtocol | Unset
        if isinstance(_protocol,  Unset):
            protocol = UNSET
        else:
            protocol = MethodProtocol(_protocol)




        samples = d.pop("samples", UNSET)

        def _parse_scan(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        scan = _parse_scan(d.pop("scan", UNSET))


        seed = d.pop("seed", UNSET)

        _simulator = d.pop("simulator", UNSET)
        simulator: SimulatorKind | Unset
        if isinstance(_simulator,  Unset):
            simulator = UNSET
        else:
            simulator = SimulatorKind(_simulator)




        def _parse_temperature(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        temperature = _parse_temperature(d.pop("temperature", UNSET))


        batch_request = cls(
            layer=layer,
            model=model,
            explainer=explainer,
            neurons=neurons,
            polarity=polarity,
            profile=profile,
            protocol=protocol,
            samples=samples,
            scan=scan,
            seed=seed,
            simulator=simulator,
            temperature=temperature,
        )

        return batch_request

