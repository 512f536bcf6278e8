from enum import StrEnum

class ExplanationSummaryKind(StrEnum):
    EXPLANATION = "explanation"
    SCORE = "score"

    def __str__(self) -> str:
        return str(self.value)
