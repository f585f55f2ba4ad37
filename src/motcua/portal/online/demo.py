"""Online applications for the demo citizens, so that "Hồ sơ của tôi" and the desk's online
inbox have something to show after `motcua seed-demo`.

The demo provider's citizens (`motcua.demo_idp.demo.IDENTITIES`) get their motcua accounts through
`citizen_upsert`, as their first sign-in would make them. Nguyễn Văn An (congdan1) then has, at
the one-stop desk of Công an phường Vinh Phú, made through the real services:

* an application submitted online, waiting in the desk's online inbox;
* an application accepted by the receptionist and assigned to the handler (in progress);
* an application accepted, decided with a signed electronic result, paid at the desk in cash
  and returned.

Trần Thị Bình (congdan2) has a draft. Runs once: the `demo.online` audit row marks it done, so
a second `seed-demo` adds nothing.
"""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from motcua.audit.models import AuditEntry
from motcua.audit.services import audit_record
from motcua.catalog.models import Procedure
from motcua.demo_idp.demo import IDENTITIES
from motcua.dossiers.services import (
    dossier_approve,
    dossier_assign,
    dossier_record_payment,
    dossier_return,
    dossier_submit,
)
from motcua.org.models import Desk, User
from motcua.portal.citizens import citizen_upsert
from motcua.portal.online.services import (
    application_accept,
    application_save,
    components,
    new_key,
    online_allowed,
)

MARKER = "demo.online"
DESK = "VINHPHU-MC"
RECEPTIONIST, HANDLER, LEADER = "tiepnhan.vinhphu", "xuly.vinhphu", "lanhdao.vinhphu"
# Đăng ký tạm trú, xác nhận thông tin cư trú, khai báo tạm vắng: preferred when published.
PREFERRED = ["1.004194", "1.004204", "1.004222"]
# A photo as a phone sends it: the PNG signature the upload checks read, then the picture.
PHOTO = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"anh chup giay to tu dien thoai" * 8


def _versions(desk) -> list:
    """Current public versions the desk receives online and its own unit handles, the
    preferred ones first."""
    found = []
    for procedure in (
        Procedure.objects.published()
        .filter(audience="public")
        .select_related("current_version")
        .order_by("code")
    ):
        v = procedure.current_version
        if (
            online_allowed(v)
            and desk in v.desks()
            and v.handling_units.filter(pk=desk.unit_id).exists()
        ):
            found.append(v)
    found.sort(
        key=lambda v: PREFERRED.index(v.procedure.code) if v.procedure.code in PREFERRED else 99
    )
    return found


def _apply(citizen, version, desk, address, *, submit=True):
    files = {
        c["name"]: SimpleUploadedFile(f"anh-giay-to-{i + 1}.png", PHOTO, content_type="image/png")
        for i, c in enumerate(components(version))
        if c["mandatory"]
    }
    app, _ = application_save(
        citizen=citizen,
        idempotency_key=new_key(),
        procedure_version=version,
        desk=desk,
        applicant={
            "name": citizen.get_full_name(),
            "id_number": citizen.id_number,
            "address": address,
            "phone": citizen.phone,
            "email": citizen.email,
        },
        request_summary=f"{version.name} (nộp trực tuyến)",
        files=files,
        submit=submit,
    )
    return app


def seed() -> int:
    """The demo citizens' accounts and applications; returns how many applications were made
    (0 when already seeded, or when no procedure of the desk is offered online)."""
    if AuditEntry.objects.filter(action=MARKER).exists():
        return 0
    desk = Desk.objects.select_related("unit").filter(code=DESK).first()
    versions = _versions(desk) if desk else []
    if not versions:
        return 0
    staff = {
        u.username: u for u in User.objects.filter(username__in=[RECEPTIONIST, HANDLER, LEADER])
    }
    receptionist, handler, leader = staff[RECEPTIONIST], staff[HANDLER], staff[LEADER]
    with transaction.atomic():
        citizens = [
            citizen_upsert(id_number=id_number, full_name=name, email=email, phone=phone)
            for _username, name, id_number, email, phone in IDENTITIES
        ]
        an, binh = citizens[0], citizens[1]
        first, other = versions[0], versions[min(1, len(versions) - 1)]
        address = "Số 12 đường Lê Lợi, phường Vinh Phú, Nghệ An"

        # Finished: accepted, decided with a signed e-result, the fee paid, the result returned.
        done = application_accept(actor=receptionist, application=_apply(an, first, desk, address))
        d = dossier_assign(actor=leader, dossier=done, version=done.version, handler=handler)
        d = dossier_submit(
            actor=handler, dossier=d, version=d.version, result=f"Đồng ý: {first.name.lower()}"
        )
        d = dossier_approve(actor=leader, dossier=d, version=d.version, e_result=True)
        if d.fee_outstanding:  # paid in cash when he came for the paper copy
            d = dossier_record_payment(
                actor=receptionist,
                dossier=d,
                version=d.version,
                amount=d.fee_outstanding,
                channel="cash",
            )
        dossier_return(actor=receptionist, dossier=d, version=d.version)

        # In progress: accepted and assigned.
        going = application_accept(actor=receptionist, application=_apply(an, other, desk, address))
        dossier_assign(actor=leader, dossier=going, version=going.version, handler=handler)

        # Waiting in the online inbox of the desk; and a draft of congdan2's.
        _apply(an, first, desk, address)
        _apply(binh, first, desk, "Khối Yên Giang, phường Vinh Phú, Nghệ An", submit=False)
        audit_record(actor="seed-demo", action=MARKER, changes={"applications": 4})
    return 4
