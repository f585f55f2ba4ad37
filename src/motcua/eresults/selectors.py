import time

from motcua.eresults.models import ElectronicResult

# What the public verification page shows and checks. The page is printed in every QR and must
# stay cheap under load: with the dossier's 58 columns, the unit's and the file's, building the
# query and the three objects cost several times the rest of the request (bench_signing.py).
PAGE_FIELDS = (
    "public_id",
    "sha256",
    "issued_at",
    "dossier__code",
    "unit__name",
    "file__file",
)


# A result is never changed once issued, so each process keeps the rows it has shown for a
# minute: building the query was about half of a visit's CPU (bench_signing.py). Only a unit's
# renaming can change what the page shows; it appears within PAGE_CACHE_SECONDS. The row is
# shared by the server's threads and only read (the stored file is opened through its storage).
PAGE_CACHE_SECONDS = 60
_shown: dict[str, tuple[float, ElectronicResult]] = {}


def eresult_by_public_id(public_id: str) -> ElectronicResult | None:
    now = time.monotonic()
    kept = _shown.get(public_id)
    if kept is not None and now - kept[0] < PAGE_CACHE_SECONDS:
        return kept[1]
    result = (
        ElectronicResult.objects.select_related("dossier", "unit", "file")
        .only(*PAGE_FIELDS)
        .filter(public_id=public_id)
        .first()
    )
    if result is not None:
        if len(_shown) > 10000:
            _shown.clear()
        _shown[public_id] = (now, result)
    return result


def eresult_of(dossier) -> ElectronicResult | None:
    return ElectronicResult.objects.select_related("file").filter(dossier=dossier).first()
