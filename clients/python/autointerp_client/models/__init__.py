""" Contains all the data models used in inputs/outputs """

from .activations_request import ActivationsRequest
from .activations_result import ActivationsResult
from .batch_child import BatchChild
from .batch_request import BatchRequest
from .batch_result import BatchResult
from .builtin_corpus import BuiltinCorpus
from .calibration_method import CalibrationMethod
from .calibration_out import CalibrationOut
from .excerpt_in import ExcerptIn
from .excerpt_public import ExcerptPublic
from .explainer_kind import ExplainerKind
from .explanation_hit import ExplanationHit
from .explanation_hit_kind import ExplanationHitKind
from .explanation_request import ExplanationRequest
from .explanation_result import ExplanationResult
from .explanation_search_page import ExplanationSearchPage
from .explanation_summary import ExplanationSummary
from .explanation_summary_kind import ExplanationSummaryKind
from .export_neurons_format import ExportNeuronsFormat
from .field_error import FieldError
from .file_corpus import FileCorpus
from .firing_neuron import FiringNeuron
from .health import Health
from .health_checks import HealthChecks
from .hugging_face_corpus import HuggingFaceCorpus
from .import_format import ImportFormat
from .import_request import ImportRequest
from .import_result import ImportResult
from .inline_corpus import InlineCorpus
from .inline_records import InlineRecords
from .list_neurons_sort import ListNeuronsSort
from .method_protocol import MethodProtocol
from .model_info import ModelInfo
from .neuron_listing_page import NeuronListingPage
from .neuron_record_public import NeuronRecordPublic
from .neuron_ref import NeuronRef
from .neuron_result import NeuronResult
from .neuron_result_kind import NeuronResultKind
from .neuron_search_request import NeuronSearchRequest
from .neuron_search_result import NeuronSearchResult
from .neuron_stats_public import NeuronStatsPublic
from .operation import Operation
from .operation_kind import OperationKind
from .operation_page import OperationPage
from .operation_state import OperationState
from .peak_neuron import PeakNeuron
from .polarity import Polarity
from .problem import Problem
from .progress import Progress
from .quantile_bin_public import QuantileBinPublic
from .ranked_neuron import RankedNeuron
from .rejected_out import RejectedOut
from .sampling_out import SamplingOut
from .scan_request import ScanRequest
from .scan_result import ScanResult
from .score_histogram import ScoreHistogram
from .score_out import ScoreOut
from .score_request import ScoreRequest
from .score_request_split import ScoreRequestSplit
from .score_result import ScoreResult
from .scored_explanation import ScoredExplanation
from .search_explanations_sort import SearchExplanationsSort
from .simulated_excerpt import SimulatedExcerpt
from .simulation_request import SimulationRequest
from .simulation_result import SimulationResult
from .simulator_kind import SimulatorKind
from .split import Split
from .text_activations import TextActivations
from .token_neurons import TokenNeurons
from .tokenization_request import TokenizationRequest
from .tokenization_result import TokenizationResult
from .tokenized_text import TokenizedText
from .upload import Upload
from .usage import Usage
from .usage_out import UsageOut

__all__ = (
    "ActivationsRequest",
    "ActivationsResult",
    "BatchChild",
    "BatchRequest",
    "BatchResult",
    "BuiltinCorpus",
    "CalibrationMethod",
    "CalibrationOut",
    "ExcerptIn",
    "ExcerptPublic",
    "ExplainerKind",
    "ExplanationHit",
    "ExplanationHitKind",
    "ExplanationRequest",
    "ExplanationResult",
    "ExplanationSearchPage",
    "ExplanationSummary",
    "ExplanationSummaryKind",
    "ExportNeuronsFormat",
    "FieldError",
    "FileCorpus",
    "FiringNeuron",
    "Health",
    "HealthChecks",
    "HuggingFaceCorpus",
    "ImportFormat",
    "ImportRequest",
    "ImportResult",
    "InlineCorpus",
    "InlineRecords",
    "ListNeuronsSort",
    "MethodProtocol",
    "ModelInfo",
    "NeuronListingPage",
    "NeuronRecordPublic",
    "NeuronRef",
    "NeuronResult",
    "NeuronResultKind",
    "NeuronSearchRequest",
    "NeuronSearchResult",
    "NeuronStatsPublic",
    "Operation",
    "OperationKind",
    "OperationPage",
    "OperationState",
    "PeakNeuron",
    "Polarity",
    "Problem",
    "Progress",
    "QuantileBinPublic",
    "RankedNeuron",
    "RejectedOut",
    "SamplingOut",
    "ScanRequest",
    "ScanResult",
    "ScoredExplanation",
    "ScoreHistogram",
    "ScoreOut",
    "ScoreRequest",
    "ScoreRequestSplit",
    "ScoreResult",
    "SearchExplanationsSort",
    "SimulatedExcerpt",
    "SimulationRequest",
    "SimulationResult",
    "SimulatorKind",
    "Split",
    "TextActivations",
    "TokenizationRequest",
    "TokenizationResult",
    "TokenizedText",
    "TokenNeurons",
    "Upload",
    "Usage",
    "UsageOut",
)
