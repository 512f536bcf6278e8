from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.method_protocol import MethodProtocol
from ..models.polarity import Polarity
from ..models.simulator_kind import SimulatorKind
from ..types import UNSET, Unset
from typing import cast
from typing import Literal, cast

if TYPE_CHECKING:
  from ..models.neuron_ref import NeuronRef
  from ..models.scored_explanation import ScoredExplanation
  from ..models.usage_out import UsageOut





T = TypeVar("T", bound="ScoreResult")



@_attrs_define
class ScoreResult:
    """ The result of a score operation.

        Attributes:
            neuron (NeuronRef | None):
            polarity (Polarity): Which side of a signed neuron is explained: max(a, 0) or max(-a, 0).
            score (ScoredExplanation): An explanation with every score of it on one split.
            simulator (SimulatorKind): How activations are predicted.
            usage (UsageOut): Language-model tokens spent.
            kind (Literal['score'] | Unset):  Default: 'score'.
            protocol (MethodProtocol | Unset): Which rules an explanation or score follows.
     """

    neuron: NeuronRef | None
    polarity: Polarity
    score: ScoredExplanation
    simulator: SimulatorKind
    usage: UsageOut
    kind: Literal['score'] | Unset = 'score'
    protocol: MethodProtocol | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.neuron_ref import NeuronRef # noqa: PLC0415
        from ..models.scored_explanation import ScoredExplanation # noqa: PLC0415
        from ..models.usage_out import UsageOut # noqa: PLC0415
        neuron: dict[str, Any] | None
        if isinstance(self.neuron, NeuronRef):
            neuron = self.neuron.to_dict()
        else:
            neuron = self.neuron

        polarity = self.polarity.value

        score = self.score.to_dict()

        simulator = self.simulator.value

        usage = self.usage.to_dict()

        kind = self.kind

        protocol: str | Unset = UNSET
        if not isinstance(self.protocol, Unset):
            protocol = self.protocol.value



        field_dict: dict[str, Any] = {}

        field_dict.update({
            "neuron": neuron,
            "polarity": polarity,
            "score": score,
            "simulator": simulator,
            "usage": usage,
        })
        if kind is not UNSET:
            field_dict["kind"] = kind
        if protocol is not UNSET:
            field_dict["protocol"] = protocol

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.neuron_ref import NeuronRef # noqa: PLC0415
        from ..models.scored_explanation import ScoredExplanation # noqa: PLC0415
        from ..models.usage_out import UsageOut # noqa: PLC0415
        d = dict(src_dict)
        def _parse_neuron(data: object) -> NeuronRef | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                neuron_type_0 = NeuronRef.from_dict(data)



                return neuron_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(NeuronRef | None, data)

        neuron = _parse_neuron(d.pop("neuron"))


        polarity = Polarity(d.pop("polarity"))




        score = ScoredExplanation.from_dict(d.pop("score"))




        simulator = SimulatorKind(d.pop("simulator"))




        usage = UsageOut.from_dict(d.pop("usage"))




        kind = cast(Literal['score'] | Unset , d.pop("kind", UNSET))
        if kind != 'score'and not isinstance(kind, Unset):
            raise ValueError(f"kind must match const 'score', got '{kind}'")

        _protocol = d.pop("protocol", UNSET)
        protocol: MethodProtocol | Unset
        if isinstance(_protocol,  Unset):
            protocol = UNSET
        else:
            protocol = MethodProtocol(_protocol)




        score_result = cls(
            neuron=neuron,
            polarity=polarity,
            score=score,
            simulator=simulator,
            usage=usage,
            kind=kind,
            protocol=protocol,
        )

        return score_result

