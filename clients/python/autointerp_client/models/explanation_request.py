from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.calibration_method import CalibrationMethod
from ..models.explainer_kind import ExplainerKind
from ..models.method_protocol import MethodProtocol
from ..models.polarity import Polarity
from ..models.simulator_kind import SimulatorKind
from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.inline_records import InlineRecords
  from ..models.neuron_ref import NeuronRef





T = TypeVar("T", bound="ExplanationRequest")



@_attrs_define
class ExplanationRequest:
    """ Explain a neuron from its top excerpts; best-of-k scored on a held-out split.

        Attributes:
            calibration (CalibrationMethod | Unset): Where the calibration of a score is fitted.
            explainer (ExplainerKind | Unset): How explanations are written.
            neuron (NeuronRef | None | Unset):
            polarity (Polarity | Unset): Which side of a signed neuron is explained: max(a, 0) or max(-a, 0).
            profile (str | Unset): A server-configured LLM profile. Default: 'local'.
            protocol (MethodProtocol | Unset): Which rules an explanation or score follows.
            records (InlineRecords | None | Unset):
            samples (int | Unset): k of best-of-k. With 1 the one explanation is scored on test directly (no candidates are
                scored on valid). Candidates that are not explanations (markup, listings, numbers alone, the prompt's wording)
                are drawn again, as are samples a server did not return; `sampling` in the result says how many were obtained.
                Default: 3.
            seed (int | Unset): Seeds the explainer's sampling (the server's `seed` for an OpenAI-compatible profile, best
                effort there; the generator of a local model): another seed is another operation and another draw, the same seed
                the same operation. Default: 0.
            simulator (SimulatorKind | Unset): How activations are predicted.
            simulator_profile (None | str | Unset): Profile that simulates; default: `profile`.
            temperature (float | None | Unset): The explainer's sampling temperature; default: 0 (greedy, deterministic)
                with one sample, 1 with several. A draw asked for again after a greedy one is sampled at 1.
     """

    calibration: CalibrationMethod | Unset = UNSET
    explainer: ExplainerKind | Unset = UNSET
    neuron: NeuronRef | None | Unset = UNSET
    polarity: Polarity | Unset = UNSET
    profile: str | Unset = 'local'
    protocol: MethodProtocol | Unset = UNSET
    records: InlineRecords | None | Unset = UNSET
    samples: int | Unset = 3
    seed: int | Unset = 0
    simulator: SimulatorKind | Unset = UNSET
    simulator_profile: None | str | Unset = UNSET
    temperature: float | None | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.inline_records import InlineRecords # noqa: PLC0415
        from ..models.neuron_ref import NeuronRef # noqa: PLC0415
        calibration: str | Unset = UNSET
        if not isinstance(self.calibration, Unset):
            calibration = self.calibration.value


        explainer: str | Unset = UNSET
        if not isinstance(self.explainer, Unset):
            explainer = self.explainer.value


        neuron: dict[str, Any] | None | Unset
        if isinstance(self.neuron, Unset):
            neuron = UNSET
        elif isinstance(self.neuron, NeuronRef):
            neuron = self.neuron.to_dict()
        else:
            neuron = self.neuron

        polarity: str | Unset = UNSET
        if not isinstance(self.polarity, Unset):
            polarity = self.polarity.value


        profile = self.profile

        protocol: str | Unset = UNSET
        if not isinstance(self.protocol, Unset):
            protocol = self.protocol.value


        records: dict[str, Any] | None | Unset
        if isinstance(self.records, Unset):
            records = UNSET
        elif isinstance(self.records, InlineRecords):
            records = self.records.to_dict()
        else:
            records = self.records

        samples = self.samples

        seed = self.seed

        simulator: str | Unset = UNSET
        if not isinstance(self.simulator, Unset):
            simulator = self.simulator.value


        simulator_profile: None | str | Unset
        if isinstance(self.simulator_profile, Unset):
            simulator_profile = UNSET
        else:
            simulator_profile = self.simulator_profile

        temperature: float | None | Unset
        if isinstance(self.temperature, Unset):
            temperature = UNSET
        else:
            temperature = self.temperature


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if calibration is not UNSET:
            field_dict["calibration"] = calibration
        if explainer is not UNSET:
            field_dict["explainer"] = explainer
        if neuron is not UNSET:
            field_dict["neuron"] = neuron
        if polarity is not UNSET:
            field_dict["polarity"] = polarity
        if profile is not UNSET:
            field_dict["profile"] = profile
        if protocol is not UNSET:
            field_dict["protocol"] = protocol
        if records is not UNSET:
            field_dict["records"] = records
        if samples is not UNSET:
            field_dict["samples"] = samples
        if seed is not UNSET:
            field_dict["seed"] = seed
        if simulator is not UNSET:
            field_dict["simulator"] = simulator
        if simulator_profile is not UNSET:
            field_dict["simulator_profile"] = simulator_profile
        if temperature is not UNSET:
            field_dict["temperature"] = temperature

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.inline_records import InlineRecords # noqa: PLC0415
        from ..models.neuron_ref import NeuronRef # noqa: PLC0415
        d = dict(src_dict)
        _calibration = d.pop("calibration", UNSET)
        calibration: CalibrationMethod | Unset
        if isinstance(_calibration,  Unset):
            calibration = UNSET
        else:
            calibration = CalibrationMethod(_calibration)




        _explainer = d.pop("explainer", UNSET)
        explainer: ExplainerKind | Unset
        if isinstance(_explainer,  Unset):
            explainer = UNSET
        else:
            explainer = ExplainerKind(_explainer)




        def _parse_neuron(data: object) -> NeuronRef | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                neuron_type_0 = NeuronRef.from_dict(data)



                return neuron_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(NeuronRef | None | Unset, data)

        neuron = _parse_neuron(d.pop("neuron", UNSET))


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




        def _parse_records(data: object) -> InlineRecords | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                records_type_0 = InlineRecords.from_dict(data)



                return records_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(InlineRecords | None | Unset, data)

        records = _parse_records(d.pop("records", UNSET))


        samples = d.pop("samples", UNSET)

        seed = d.pop("seed", UNSET)

        _simulator = d.pop("simulator", UNSET)
        simulator: SimulatorKind | Unset
        if isinstance(_simulator,  Unset):
            simulator = UNSET
        else:
            simulator = SimulatorKind(_simulator)




        def _parse_simulator_profile(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        simulator_profile = _parse_simulator_profile(d.pop("simulator_profile", UNSET))


        def _parse_temperature(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        temperature = _parse_temperature(d.pop("temperature", UNSET))


        explanation_request = cls(
            calibration=calibration,
            explainer=explainer,
            neuron=neuron,
            polarity=polarity,
            profile=profile,
            protocol=protocol,
            records=records,
            samples=samples,
            seed=seed,
            simulator=simulator,
            simulator_profile=simulator_profile,
            temperature=temperature,
        )

        return explanation_request

