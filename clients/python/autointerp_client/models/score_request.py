from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.calibration_method import CalibrationMethod
from ..models.method_protocol import MethodProtocol
from ..models.polarity import Polarity
from ..models.score_request_split import ScoreRequestSplit
from ..models.simulator_kind import SimulatorKind
from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.inline_records import InlineRecords
  from ..models.neuron_ref import NeuronRef





T = TypeVar("T", bound="ScoreRequest")



@_attrs_define
class ScoreRequest:
    """ Score an explanation of a neuron against its real activations.

        Attributes:
            explanation (str): Words describing what the neuron does: no markup or control tokens, no token/activation
                listing, not numbers or punctuation alone.
            calibration (CalibrationMethod | Unset): Where the calibration of a score is fitted.
            neuron (NeuronRef | None | Unset):
            polarity (Polarity | Unset): Which side of a signed neuron is explained: max(a, 0) or max(-a, 0).
            profile (str | Unset): A server-configured LLM profile. Default: 'local'.
            protocol (MethodProtocol | Unset): Which rules an explanation or score follows.
            records (InlineRecords | None | Unset):
            simulator (SimulatorKind | Unset): How activations are predicted.
            split (ScoreRequestSplit | Unset):  Default: ScoreRequestSplit.VALID.
     """

    explanation: str
    calibration: CalibrationMethod | Unset = UNSET
    neuron: NeuronRef | None | Unset = UNSET
    polarity: Polarity | Unset = UNSET
    profile: str | Unset = 'local'
    protocol: MethodProtocol | Unset = UNSET
    records: InlineRecords | None | Unset = UNSET
    simulator: SimulatorKind | Unset = UNSET
    split: ScoreRequestSplit | Unset = ScoreRequestSplit.VALID





    def to_dict(self) -> dict[str, Any]:
        from ..models.inline_records import InlineRecords # noqa: PLC0415
        from ..models.neuron_ref import NeuronRef # noqa: PLC0415
        explanation = self.explanation

        calibration: str | Unset = UNSET
        if not isinstance(self.calibration, Unset):
            calibration = self.calibration.value


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

        simulator: str | Unset = UNSET
        if not isinstance(self.simulator, Unset):
            simulator = self.simulator.value


        split: str | Unset = UNSET
        if not isinstance(self.split, Unset):
            split = self.split.value



        field_dict: dict[str, Any] = {}

        field_dict.update({
            "explanation": explanation,
        })
        if calibration is not UNSET:
            field_dict["calibration"] = calibration
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
        if simulator is not UNSET:
            field_dict["simulator"] = simulator
        if split is not UNSET:
            field_dict["split"] = split

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.inline_records import InlineRecords # noqa: PLC0415
        from ..models.neuron_ref import NeuronRef # noqa: PLC0415
        d = dict(src_dict)
        explanation = d.pop("explanation")

        _calibration = d.pop("calibration", UNSET)
        calibration: CalibrationMethod | Unset
        if isinstance(_calibration,  Unset):
            calibration = UNSET
        else:
            calibration = CalibrationMethod(_calibration)




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


        _simulator = d.pop("simulator", UNSET)
        simulator: SimulatorKind | Unset
        if isinstance(_simulator,  Unset):
            simulator = UNSET
        else:
            simulator = SimulatorKind(_simulator)




        _split = d.pop("split", UNSET)
        split: ScoreRequestSplit | Unset
        if isinstance(_split,  Unset):
            split = UNSET
        else:
            split = ScoreRequestSplit(_split)




        score_request = cls(
            explanation=explanation,
            calibration=calibration,
            neuron=neuron,
            polarity=polarity,
            profile=profile,
            protocol=protocol,
            records=records,
            simulator=simulator,
            split=split,
        )

        return score_request

