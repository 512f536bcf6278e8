from enum import StrEnum

class SearchExplanationsSort(StrEnum):
    RELEVANCE = "relevance"
    SCORE = "score"

    def __str__(self) -> str:
        return str(self.value)
