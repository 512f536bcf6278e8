from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.excerpt_public import ExcerptPublic
  from ..models.neuron_result import NeuronResult
  from ..models.neuron_stats_public import NeuronStatsPublic
  from ..models.quantile_bin_public import QuantileBinPublic





T = TypeVar("T", bound="NeuronRecordPublic")



@_attrs_define
class NeuronRecordPublic:
    """ A neuron's record from a scan.

        Attributes:
            bottom (list[ExcerptPublic]):
            index (int):
            layer (int):
            model (str):
            random (list[ExcerptPublic]):
            scan_id (str):
            stats (NeuronStatsPublic): Moments of the neuron's activation over every scanned token.
            top (list[ExcerptPublic]):
            quantiles (list[QuantileBinPublic] | Unset): Random samples within quantile bins, lowest first; empty unless the
                scan asked for `quantile_bins`.
            results (list[NeuronResult] | Unset): Cached explanations and scores, best first.
     """

    bottom: list[ExcerptPublic]
    index: int
    layer: int
    model: str
    random: list[ExcerptPublic]
    scan_id: str
    stats: NeuronStatsPublic
    top: list[ExcerptPublic]
    quantiles: list[QuantileBinPublic] | Unset = UNSET
    results: list[NeuronResult] | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.excerpt_public import ExcerptPublic # noqa: PLC0415
        from ..models.neuron_result import NeuronResult # noqa: PLC0415
        from ..models.neuron_stats_public import NeuronStatsPublic # noqa: PLC0415
        from ..models.quantile_bin_public import QuantileBinPublic # noqa: PLC0415
        bottom = []
        for bottom_item_data in self.bottom:
            bottom_item = bottom_item_data.to_dict()
            bottom.append(bottom_item)



        index = self.index

        layer = self.layer

        model = self.model

        random = []
        for random_item_data in self.random:
            random_item = random_item_data.to_dict()
            random.append(random_item)



        scan_id = self.scan_id

        stats = self.stats.to_dict()

        top = []
        for top_item_data in self.top:
            top_item = top_item_data.to_dict()
            top.append(top_item)



        quantiles: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.quantiles, Unset):
            quantiles = []
            for quantiles_item_data in self.quantiles:
                quantiles_item = quantiles_item_data.to_dict()
                quantiles.append(quantiles_item)



        results: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.results, Unset):
            results = []
            for results_item_data in self.results:
                results_item = results_item_data.to_dict()
                results.append(results_item)




        field_dict: dict[str, Any] = {}

        field_dict.update({
            "bottom": bottom,
            "index": index,
            "layer": layer,
            "model": model,
            "random": random,
            "scan_id": scan_id,
            "stats": stats,
            "top": top,
        })
        if quantiles is not UNSET:
            field_dict["quantiles"] = quantiles
        if results is not UNSET:
            field_dict["results"] = results

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.excerpt_public import ExcerptPublic # noqa: PLC0415
        from ..models.neuron_result import NeuronResult # noqa: PLC0415
        from ..models.neuron_stats_public import NeuronStatsPublic # noqa: PLC0415
        from ..models.quantile_bin_public import QuantileBinPublic # noqa: PLC0415
        d = dict(src_dict)
        bottom = []
        _bottom = d.pop("bottom")
        for bottom_item_data in (_bottom):
            bottom_item = ExcerptPublic.from_dict(bottom_item_data)



            bottom.append(bottom_item)


        index = d.pop("index")

        layer = d.pop("layer")

        model = d.pop("model")

        random = []
        _random = d.pop("random")
        for random_item_data in (_random):
            random_item = ExcerptPublic.from_dict(random_item_data)



            random.append(random_item)


        scan_id = d.pop("scan_id")

        stats = NeuronStatsPublic.from_dict(d.pop("stats"))




        top = []
        _top = d.pop("top")
        for top_item_data in (_top):
            top_item = ExcerptPublic.from_dict(top_item_data)



            top.append(top_item)


        _quantiles = d.pop("quantiles", UNSET)
        quantiles: list[QuantileBinPublic] | Unset = UNSET
        if _quantiles is not UNSET:
            quantiles = []
            for quantiles_item_data in _quantiles:
                quantiles_item = QuantileBinPublic.from_dict(quantiles_item_data)



                quantiles.append(quantiles_item)


        _results = d.pop("results", UNSET)
        results: list[NeuronResult] | Unset = UNSET
        if _results is not UNSET:
            results = []
            for results_item_data in _results:
                results_item = NeuronResult.from_dict(results_item_data)



                results.append(results_item)


        neuron_record_public = cls(
            bottom=bottom,
            index=index,
            layer=layer,
            model=model,
            random=random,
            scan_id=scan_id,
            stats=stats,
            top=top,
            quantiles=quantiles,
            results=results,
        )

        return neuron_record_public

