from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.explanation_summary import ExplanationSummary
  from ..models.score_histogram import ScoreHistogram





T = TypeVar("T", bound="NeuronListingPage")



@_attrs_define
class NeuronListingPage:
    """ One page of a model's neurons, each with its best-scored explanation.

        Attributes:
            histogram (ScoreHistogram): How many neurons' best top-and-random scores fall in each bin (neurons without a
                defined score are not counted).
            neurons (list[ExplanationSummary]):
            next_cursor (None | str): Pass as `cursor` for the next page.
            total (int): Neurons that match, in all pages.
     """

    histogram: ScoreHistogram
    neurons: list[ExplanationSummary]
    next_cursor: None | str
    total: int





    def to_dict(self) -> dict[str, Any]:
        from ..models.explanation_summary import ExplanationSummary # noqa: PLC0415
        from ..models.score_histogram import ScoreHistogram # noqa: PLC0415
        histogram = self.histogram.to_dict()

        neurons = []
        for neurons_item_data in self.neurons:
            neurons_item = neurons_item_data.to_dict()
            neurons.append(neurons_item)



        next_cursor: None | str
        next_cursor = self.next_cursor

        total = self.total


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "histogram": histogram,
            "neurons": neurons,
            "next_cursor": next_cursor,
            "total": total,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.explanation_summary import ExplanationSummary # noqa: PLC0415
        from ..models.score_histogram import ScoreHistogram # noqa: PLC0415
        d = dict(src_dict)
        histogram = ScoreHistogram.from_dict(d.pop("histogram"))




        neurons = []
        _neurons = d.pop("neurons")
        for neurons_item_data in (_neurons):
            neurons_item = ExplanationSummary.from_dict(neurons_item_data)



            neurons.append(neurons_item)


        def _parse_next_cursor(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        next_cursor = _parse_next_cursor(d.pop("next_cursor"))


        total = d.pop("total")

        neuron_listing_page = cls(
            histogram=histogram,
            neurons=neurons,
            next_cursor=next_cursor,
            total=total,
        )

        return neuron_listing_page

