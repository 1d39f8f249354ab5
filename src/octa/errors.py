"""Error types for inputs octa cannot turn into a profile. Each names the file and a reason code
(the ``error`` column of ``errors.csv``), so that users can sort failures without reading tracebacks."""

from __future__ import annotations


class OctaError(Exception):
    """Base class: ``reason`` is a short stable code, ``message`` says what happened."""

    reason = "error"

    def __init__(self, path: str, message: str) -> None:
        self.path = str(path)
        self.message = message
        super().__init__(f"{self.path}: {self.reason}: {message}")


class CorruptFile(OctaError):
    reason = "corrupt"


class EmptyFile(CorruptFile):
    """A file of 0 bytes (an interrupted download or copy): a corrupt file with its own reason."""

    reason = "empty"


class EncryptedFile(OctaError):
    reason = "encrypted"


class NoTextLayer(OctaError):
    reason = "no text layer"


class NotAProfile(OctaError):
    reason = "not a profile"


class TooLarge(OctaError):
    reason = "too large"


class Timeout(OctaError):
    reason = "timeout"


class UnsupportedInput(OctaError):
    reason = "unsupported"
