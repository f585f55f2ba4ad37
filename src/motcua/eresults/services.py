"""Issuing an electronic result: render the result document, sign it with the unit's key, store
it as a result file of the dossier and record its hash.

It runs inside the leader's approve transaction (receivers.py): a dossier marked e_result always
has its signed file, and a unit without a key cannot approve with an e-result at all (the approve
is refused and nothing changes). Rendering costs ~130 ms and signing ~10 ms on a quiet machine
(bench/bench_signing.py), which a leader's click absorbs; a worker would add a "đang ký" state
for the citizen and a second failure path for no gain at that cost.
"""

import hashlib
from datetime import datetime

from django.conf import settings
from django.core.files.base import ContentFile

from motcua.audit.services import audit_record
from motcua.documents import signing
from motcua.documents.pdf import render_pdf
from motcua.documents.qr import qr_svg_data_uri
from motcua.dossiers.errors import InvalidInput
from motcua.dossiers.models import Dossier, DossierFile, FileKind
from motcua.eresults import keys
from motcua.eresults.models import ElectronicResult, new_public_id
from motcua.worktime.core import VN_TZ

TEMPLATE = "eresults/result_pdf.html"
# Where the template draws the signature box (mm from the page's top-left corner); the page's
# margins are 20 mm, so the CSS offsets are these minus 20.
BOX = signing.Box(left=110, top=236, width=80, height=18)
QR_TOP = 228  # mm from the top of the page
PAGE_MARGIN = 20


def verification_url(public_id: str) -> str:
    return f"{settings.PUBLIC_BASE_URL}/xac-minh/{public_id}/"


def render_result(dossier: Dossier, *, public_id: str, issued_at: datetime) -> bytes:
    """The unsigned result document (also what the benchmark compares signing against)."""
    unit = dossier.handling_unit
    url = verification_url(public_id)
    return render_pdf(
        TEMPLATE,
        {
            "dossier": dossier,
            "unit": unit,
            "parent_name": unit.parent.name if unit.parent_id else "",
            "issued_local": issued_at.astimezone(VN_TZ),
            "qr": qr_svg_data_uri(url, scale=4, border=2),
            "verify_url": url,
            "box": BOX,
            "box_left": BOX.left - PAGE_MARGIN,
            "box_top": BOX.top - PAGE_MARGIN,
            "qr_top": QR_TOP - PAGE_MARGIN,
        },
    )


def sign_result(pdf: bytes, *, signer, unit, issued_at: datetime) -> bytes:
    return signing.sign_pdf(
        pdf,
        signer=signer,
        box=BOX,
        signed_at=issued_at,
        reason="Kết quả giải quyết thủ tục hành chính",
        location=unit.name,
        name=unit.name,
    )


def eresult_issue(*, actor, dossier: Dossier, at: datetime) -> ElectronicResult:
    """Render, sign and store the electronic result of an approved dossier (inside the caller's
    transaction). Raises InvalidInput when the unit has no signing key."""
    unit = dossier.handling_unit
    try:
        signer = keys.signer_for(unit)
    except keys.NoSigningKey:
        message = (
            f"{unit.name} chưa có chứng thư số để ký kết quả điện tử. "
            "Vui lòng phê duyệt không kèm kết quả điện tử hoặc liên hệ quản trị hệ thống."
        )
        raise InvalidInput(message, fields={"e_result": message})
    # The signature and the page carry the same instant, to the second.
    issued_at = at.replace(microsecond=0)
    public_id = new_public_id()
    signed = sign_result(
        render_result(dossier, public_id=public_id, issued_at=issued_at),
        signer=signer,
        unit=unit,
        issued_at=issued_at,
    )
    digest = hashlib.sha256(signed).hexdigest()
    stored = DossierFile.objects.create(
        dossier=dossier,
        kind=FileKind.RESULT,
        name=f"ket-qua-dien-tu-{dossier.code}.pdf",
        file=ContentFile(signed, name=f"{digest[:16]}.pdf"),
        content_type="application/pdf",
        size=len(signed),
        sha256=digest,
        uploaded_by=actor,
        uploaded_at=at,
    )
    result = ElectronicResult.objects.create(
        dossier=dossier,
        file=stored,
        unit=unit,
        public_id=public_id,
        sha256=digest,
        issued_at=issued_at,
        signer_subject=signing.signer_subject(signer),
    )
    audit_record(
        actor=actor,
        action="eresult.issue",
        obj=result,
        changes={"dossier": dossier.code, "sha256": digest, "signer": result.signer_subject},
    )
    return result
