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


def eresult_by_public_id(public_id: str) -> ElectronicResult | None:
    return (
        ElectronicResult.objects.select_related("dossier", "unit", "file")
        .only(*PAGE_FIELDS)
        .filter(public_id=public_id)
        .first()
    )


def eresult_of(dossier) -> ElectronicResult | None:
    return ElectronicResult.objects.select_related("file").filter(dossier=dossier).first()
