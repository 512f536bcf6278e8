from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.excerpt_public import ExcerptPublic





T = TypeVar("T", bound="QuantileBinPublic")



@_attrs_define
class QuantileBinPublic:
    """ Randomly sampled excerpts whose max activation lies between two quantiles of every
    scanned excerpt's max activation.

        Attributes:
            excerpts (list[ExcerptPublic]):
            lower (float | None): Estimated max activation at `quantile_from` (estimated from the scan's uniform sample: a
                one-pass scan cannot know the corpus's quantiles in advance); null for the first bin, or where the sample was
                too small to place it.
            quantile_from (float):
            quantile_to (float):
            upper (float | None): Estimated max activation at `quantile_to`.
     """

    excerpts: list[ExcerptPublic]
    lower: float | None
    quantile_from: float
    quantile_to: float
    upper: float | None





    def to_dict(self) -> dict[str, Any]:
        from ..models.excerpt_public import ExcerptPublic # noqa: PLC0415
        excerpts = []
        for excerpts_item_data in self.excerpts:
            excerpts_item = excerpts_item_data.to_dict()
            excerpts.append(excerpts_item)



        lower: float | None
        lower = self.lower

        quantile_from = self.quantile_from

        quantile_to = self.quantile_to

        upper: float | None
        upper = self.upper


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "excerpts": excerpts,
            "lower": lower,
            "quantile_from": quantile_from,
            "quantile_to": quantile_to,
            "upper": upper,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.excerpt_public import ExcerptPublic # noqa: PLC0415
        d = dict(src_dict)
        excerpts = []
        _excerpts = d.pop("excerpts")
        for excerpts_item_data in (_excerpts):
            excerpts_item = ExcerptPublic.from_dict(excerpts_item_data)



            excerpts.append(excerpts_item)


        def _parse_lower(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        lower = _parse_lower(d.pop("lower"))


        quantile_from = d.pop("quantile_from")

        quantile_to = d.pop("quantile_to")

        def _parse_upper(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        upper = _parse_upper(d.pop("upper"))


        quantile_bin_public = cls(
            excerpts=excerpts,
            lower=lower,
            quantile_from=quantile_from,
            quantile_to=quantile_to,
            upper=upper,
        )

        return quantile_bin_public

