from motcua.eresults.models import ElectronicResult


def eresult_by_public_id(public_id: str) -> ElectronicResult | None:
    return (
        ElectronicResult.objects.select_related("dossier", "unit", "file")
        .filter(public_id=public_id)
        .first()
    )


def eresult_of(dossier) -> ElectronicResult | None:
    return ElectronicResult.objects.select_related("file").filter(dossier=dossier).first()
