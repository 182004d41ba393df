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
