from enum import StrEnum

class NeuronResultKind(StrEnum):
    EXPLANATION = "explanation"
    SCORE = "score"

    def __str__(self) -> str:
        return str(self.value)
