class DossierError(Exception):
    """A refused action, with a stable code, an HTTP status and a Vietnamese message."""

    status = 400
    code = "error"

    def __init__(self, message: str, *, fields: dict[str, str] | None = None):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class NotAllowed(DossierError):
    status, code = 403, "forbidden"


class NotFound(DossierError):
    status, code = 404, "not_found"


class StaleVersion(DossierError):
    status, code = 409, "stale_version"


class InvalidState(DossierError):
    status, code = 409, "invalid_state"


class InvalidInput(DossierError):
    status, code = 422, "invalid_input"
