from enum import StrEnum

class ExplainerKind(StrEnum):
    LEXICAL = "lexical"
    TOKEN_ACTIVATION_PAIR = "token_activation_pair"
    TOKEN_LIST = "token_list"

    def __str__(self) -> str:
        return str(self.value)
