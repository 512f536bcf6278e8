from enum import StrEnum

class ListNeuronsSort(StrEnum):
    NEURON = "neuron"
    SCORE = "score"

    def __str__(self) -> str:
        return str(self.value)
