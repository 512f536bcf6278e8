from enum import StrEnum

class OperationKind(StrEnum):
    ACTIVATIONS = "activations"
    BATCH = "batch"
    EXPLANATION = "explanation"
    IMPORT = "import"
    NEURON_SEARCH = "neuron_search"
    SCAN = "scan"
    SCORE = "score"
    SIMULATION = "simulation"
    TOKENIZATION = "tokenization"

    def __str__(self) -> str:
        return str(self.value)
