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
from typing import Literal, cast

if TYPE_CHECKING:
  from ..models.neuron_ref import NeuronRef
  from ..models.sampling_out import SamplingOut
  from ..models.scored_explanation import ScoredExplanation
  from ..models.usage_out import UsageOut





T = TypeVar("T", bound="ExplanationResult")



@_attrs_define
class ExplanationResult:
    """ The result of an explanation operation.

        Attributes:
            best (ScoredExplanation): An explanation with every score of it on one split.
            candidates (list[ScoredExplanation]): Each sample, scored on valid (empty when samples is 1).
            explainer (ExplainerKind): How explanations are written.
            neuron (NeuronRef | None):
            polarity (Polarity): Which side of a signed neuron is explained: max(a, 0) or max(-a, 0).
            simulator (SimulatorKind): How activations are predicted.
            usage (UsageOut): Language-model tokens spent.
            kind (Literal['explanation'] | Unset):  Default: 'explanation'.
            protocol (MethodProtocol | Unset): Which rules an explanation or score follows.
            sampling (None | SamplingOut | Unset): How the candidates were drawn (absent in older results).
     """

    best: ScoredExplanation
    candidates: list[ScoredExplanation]
    explainer: ExplainerKind
    neuron: NeuronRef | None
    polarity: Polarity
    simulator: SimulatorKind
    usage: UsageOut
    kind: Literal['explanation'] | Unset = 'explanation'
    protocol: MethodProtocol | Unset = UNSET
    sampling: None | SamplingOut | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.neuron_ref import NeuronRef # noqa: PLC0415
        from ..models.sampling_out import SamplingOut # noqa: PLC0415
        from ..models.scored_explanation import ScoredExplanation # noqa: PLC0415
        from ..models.usage_out import UsageOut # noqa: PLC0415
        best = self.best.to_dict()

        candidates = []
        for candidates_item_data in self.candidates:
            candidates_item = candidates_item_data.to_dict()
            candidates.append(candidates_item)



        explainer = self.explainer.value

        neuron: dict[str, Any] | None
        if isinstance(self.neuron, NeuronRef):
            neuron = self.neuron.to_dict()
        else:
            neuron = self.neuron

        polarity = self.polarity.value

        simulator = self.simulator.value

        usage = self.usage.to_dict()

        kind = self.kind

        protocol: str | Unset = UNSET
        if not isinstance(self.protocol, Unset):
            protocol = self.protocol.value


        sampling: dict[str, Any] | None | Unset
        if isinstance(self.sampling, Unset):
            sampling = UNSET
        elif isinstance(self.sampling, SamplingOut):
            sampling = self.sampling.to_dict()
        else:
            sampling = self.sampling


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "best": best,
            "candidates": candidates,
            "explainer": explainer,
            "neuron": neuron,
            "polarity": polarity,
            "simulator": simulator,
            "usage": usage,
        })
        if kind is not UNSET:
            field_dict["kind"] = kind
        if protocol is not UNSET:
            field_dict["protocol"] = protocol
        if sampling is not UNSET:
            field_dict["sampling"] = sampling

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.neuron_ref import NeuronRef # noqa: PLC0415
        from ..models.sampling_out import SamplingOut # noqa: PLC0415
        from ..models.scored_explanation import ScoredExplanation # noqa: PLC0415
        from ..models.usage_out import UsageOut # noqa: PLC0415
        d = dict(src_dict)
        best = ScoredExplanation.from_dict(d.pop("best"))




        candidates = []
        _candidates = d.pop("candidates")
        for candidates_item_data in (_candidates):
            candidates_item = ScoredExplanation.from_dict(candidates_item_data)



            candidates.append(candidates_item)


        explainer = ExplainerKind(d.pop("explainer"))




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




        simulator = SimulatorKind(d.pop("simulator"))




        usage = UsageOut.from_dict(d.pop("usage"))




        kind = cast(Literal['explanation'] | Unset , d.pop("kind", UNSET))
        if kind != 'explanation'and not isinstance(kind, Unset):
            raise ValueError(f"kind must match const 'explanation', got '{kind}'")

        _protocol = d.pop("protocol", UNSET)
        protocol: MethodProtocol | Unset
        if isinstance(_protocol,  Unset):
            protocol = UNSET
        else:
            protocol = MethodProtocol(_protocol)




        def _parse_sampling(data: object) -> None | SamplingOut | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                sampling_type_0 = SamplingOut.from_dict(data)



                return sampling_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SamplingOut | Unset, data)

        sampling = _parse_sampling(d.pop("sampling", UNSET))


        explanation_result = cls(
            best=best,
            candidates=candidates,
            explainer=explainer,
            neuron=neuron,
            polarity=polarity,
            simulator=simulator,
            usage=usage,
            kind=kind,
            protocol=protocol,
            sampling=sampling,
        )

        return explanation_result

