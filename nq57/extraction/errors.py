"""The one exception of the extraction package."""


class ExtractionError(ValueError):
    """Bad input for the extractor; ``str()`` is a Vietnamese message meant for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message
