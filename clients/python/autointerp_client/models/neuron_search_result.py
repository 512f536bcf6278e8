from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.polarity import Polarity
from ..types import UNSET, Unset
from typing import cast
from typing import Literal, cast

if TYPE_CHECKING:
  from ..models.peak_neuron import PeakNeuron
  from ..models.token_neurons import TokenNeurons





T = TypeVar("T", bound="NeuronSearchResult")



@_attrs_define
class NeuronSearchResult:
    """ The result of a neuron search.

        Attributes:
            layers (list[int]):
            model (str):
            model_revision (str):
            overall (list[PeakNeuron]): Strongest peak first.
            polarity (Polarity): Which side of a signed neuron is explained: max(a, 0) or max(-a, 0).
            tokens (list[TokenNeurons]):
            kind (Literal['neuron_search'] | Unset):  Default: 'neuron_search'.
     """

    layers: list[int]
    model: str
    model_revision: str
    overall: list[PeakNeuron]
    polarity: Polarity
    tokens: list[TokenNeurons]
    kind: Literal['neuron_search'] | Unset = 'neuron_search'





    def to_dict(self) -> dict[str, Any]:
        from ..models.peak_neuron import PeakNeuron # noqa: PLC0415
        from ..models.token_neurons import TokenNeurons # noqa: PLC0415
        layers = self.layers



        model = self.model

        model_revision = self.model_revision

        overall = []
        for overall_item_data in self.overall:
            overall_item = overall_item_data.to_dict()
            overall.append(overall_item)



        polarity = self.polarity.value

        tokens = []
        for tokens_item_data in self.tokens:
            tokens_item = tokens_item_data.to_dict()
            tokens.append(tokens_item)



        kind = self.kind


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "layers": layers,
            "model": model,
            "model_revision": model_revision,
            "overall": overall,
            "polarity": polarity,
            "tokens": tokens,
        })
        if kind is not UNSET:
            field_dict["kind"] = kind

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.peak_neuron import PeakNeuron # noqa: PLC0415
        from ..models.token_neurons import TokenNeurons # noqa: PLC0415
        d = dict(src_dict)
        layers = cast(list[int], d.pop("layers"))


        model = d.pop("model")

        model_revision = d.pop("model_revision")

        overall = []
        _overall = d.pop("overall")
        for overall_item_data in (_overall):
            overall_item = PeakNeuron.from_dict(overall_item_data)



            overall.append(overall_item)


        polarity = Polarity(d.pop("polarity"))




        tokens = []
        _tokens = d.pop("tokens")
        for tokens_item_data in (_tokens):
            tokens_item = TokenNeurons.from_dict(tokens_item_data)



            tokens.append(tokens_item)


        kind = cast(Literal['neuron_search'] | Unset , d.pop("kind", UNSET))
        if kind != 'neuron_search'and not isinstance(kind, Unset):
            raise ValueError(f"kind must match const 'neuron_search', got '{kind}'")

        neuron_search_result = cls(
            layers=layers,
            model=model,
            model_revision=model_revision,
            overall=overall,
            polarity=polarity,
            tokens=tokens,
            kind=kind,
        )

        return neuron_search_result

