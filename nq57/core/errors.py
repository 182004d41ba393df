"""Errors a service raises; each carries a plain-Vietnamese message the web page or the API shows as it is."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied


class ServiceError(Exception):
    """The request cannot be carried out as asked; nothing was written."""

    code = "invalid"
    status = 400

    def __init__(self, message: str, *, field: str | None = None, errors: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.errors = errors or ({field: [message]} if field else {})

    @classmethod
    def of(cls, errors: dict[str, list[str]]) -> "ServiceError":
        """One error for every problem found: ``.errors`` per field, ``.message`` naming them all."""
        messages = [m for ms in errors.values() for m in ms]
        if len(messages) == 1:
            return cls(messages[0], errors=errors)
        return cls(f"Có {len(messages)} điểm cần sửa: " + " ".join(
            m if m.endswith((".", "?", "!")) else m + "." for m in messages), errors=errors)


class Problems:
    """Collects every problem of a request field by field, so a form shows them all at once rather than the first:
    ``problems.add("text", "…")`` … ``problems.raise_if_any()``."""

    def __init__(self):
        self.errors: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        if message not in self.errors.setdefault(field, []):
            self.errors[field].append(message)

    def absorb(self, exc: "ServiceError", field: str | None = None) -> None:
        """Add a ServiceError raised by a helper (its per-field messages, else its message under ``field``)."""
        for name, messages in (exc.errors or {field or "__all__": [exc.message]}).items():
            for message in messages:
                self.add(name, message)

    def __bool__(self) -> bool:
        return bool(self.errors)

    def raise_if_any(self) -> None:
        if self.errors:
            raise ServiceError.of(self.errors)


class PermissionDeniedError(ServiceError, DjangoPermissionDenied):
    """Refused: raised anywhere in a web request it becomes the one Vietnamese 403 page (``handler403`` shows the
    message); in the API, the JSON error ``{"code": "forbidden", "message": ...}``."""

    code = "forbidden"
    status = 403


class ConflictError(ServiceError):
    """Someone else changed the object after it was read; the caller must reload and try again."""

    code = "conflict"
    status = 409


class NotFoundError(ServiceError):
    code = "not_found"
    status = 404
