from django.urls import register_converter

from motcua.catalog.models import CODE_PATTERN


class ProcedureCodeConverter:
    """A procedure code in a URL: case-insensitive on the way in ("1.000948.h40" typed by hand),
    canonical upper case for the view."""

    regex = CODE_PATTERN.replace("[A-Z0-9]", "[A-Za-z0-9]")

    def to_python(self, value: str) -> str:
        return value.upper()

    def to_url(self, value: str) -> str:
        return value


register_converter(ProcedureCodeConverter, "tthc")
