from enum import StrEnum

class ExplanationHitKind(StrEnum):
    EXPLANATION = "explanation"
    SCORE = "score"

    def __str__(self) -> str:
        return str(self.value)
