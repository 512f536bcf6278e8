from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.simulator_kind import SimulatorKind
from ..types import UNSET, Unset
from typing import cast
from typing import Literal, cast

if TYPE_CHECKING:
  from ..models.simulated_excerpt import SimulatedExcerpt
  from ..models.usage_out import UsageOut





T = TypeVar("T", bound="SimulationResult")



@_attrs_define
class SimulationResult:
    """ The result of a simulation operation.

        Attributes:
            excerpts (list[SimulatedExcerpt]):
            simulator (SimulatorKind): How activations are predicted.
            unaligned_tokens (int):
            usage (UsageOut): Language-model tokens spent.
            kind (Literal['simulation'] | Unset):  Default: 'simulation'.
     """

    excerpts: list[SimulatedExcerpt]
    simulator: SimulatorKind
    unaligned_tokens: int
    usage: UsageOut
    kind: Literal['simulation'] | Unset = 'simulation'





    def to_dict(self) -> dict[str, Any]:
        from ..models.simulated_excerpt import SimulatedExcerpt # noqa: PLC0415
        from ..models.usage_out import UsageOut # noqa: PLC0415
        excerpts = []
        for excerpts_item_data in self.excerpts:
            excerpts_item = excerpts_item_data.to_dict()
            excerpts.append(excerpts_item)



        simulator = self.simulator.value

        unaligned_tokens = self.unaligned_tokens

        usage = self.usage.to_dict()

        kind = self.kind


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "excerpts": excerpts,
            "simulator": simulator,
            "unaligned_tokens": unaligned_tokens,
            "usage": usage,
        })
        if kind is not UNSET:
            field_dict["kind"] = kind

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.simulated_excerpt import SimulatedExcerpt # noqa: PLC0415
        from ..models.usage_out import UsageOut # noqa: PLC0415
        d = dict(src_dict)
        excerpts = []
        _excerpts = d.pop("excerpts")
        for excerpts_item_data in (_excerpts):
            excerpts_item = SimulatedExcerpt.from_dict(excerpts_item_data)



            excerpts.append(excerpts_item)


        simulator = SimulatorKind(d.pop("simulator"))




        unaligned_tokens = d.pop("unaligned_tokens")

        usage = UsageOut.from_dict(d.pop("usage"))




        kind = cast(Literal['simulation'] | Unset , d.pop("kind", UNSET))
        if kind != 'simulation'and not isinstance(kind, Unset):
            raise ValueError(f"kind must match const 'simulation', got '{kind}'")

        simulation_result = cls(
            excerpts=excerpts,
            simulator=simulator,
            unaligned_tokens=unaligned_tokens,
            usage=usage,
            kind=kind,
        )

        return simulation_result

