"""Use cases of the catalogue. Each one checks who may do it, works in one transaction and leaves
a row in the audit chain.

Editing never touches what citizens see: `procedure_draft_save` writes the procedure's one draft.
`procedure_publish` turns the draft into the next numbered version, makes it current and marks
the previous one superseded. Public pages are cached per current-version id (see views.py), so a
publish is visible at once in every server process without any cache to clear; when it commits,
the procedure's page files for nginx are rewritten (static_pages.py) before it returns.
"""

import io
import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import PurePath

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.audit.services import audit_record
from motcua.catalog import static_pages
from motcua.catalog.content import (
    apply_content,
    changed_components,
    content_of,
    normalize_content,
)
from motcua.catalog.models import (
    FormTemplate,
    Procedure,
    ProcedureVersion,
    VersionStatus,
    code_validator,
)
from motcua.catalog.text import fold
from motcua.org.roles import Cap
from motcua.org.scoping import can_act_on

MAX_FORM_BYTES = 10 * 1024 * 1024
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the container of Word 97-2003 files
ZIP = b"PK\x03\x04"
# extension -> (content type, first bytes, the part an Office zip must hold)
FORM_TYPES = {
    "pdf": ("application/pdf", b"%PDF-", None),
    "doc": ("application/msword", OLE, None),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ZIP,
        "word/document.xml",
    ),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ZIP,
        "xl/workbook.xml",
    ),
}


class CatalogError(Exception):
    """A request the catalogue refuses, with a message for the user (Vietnamese first)."""


@dataclass(frozen=True)
class SystemActor:
    """The operator at the command line (`motcua catalog-import`): has server access, so may
    do anything; audited under `name`."""

    name: str
    pk = None
    unit_id = None
    is_authenticated = True
    is_active = True
    is_superuser = True

    def can(self, capability: str) -> bool:
        return True

    def __str__(self) -> str:
        return self.name


def _require(actor, capability: str, unit) -> None:
    if actor is None or not actor.can(capability) or not can_act_on(actor, unit):
        raise PermissionDenied(_("Không có quyền thực hiện thao tác này với thủ tục này."))


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


def _locked(procedure: Procedure) -> Procedure:
    return Procedure.objects.select_for_update().get(pk=procedure.pk)


def normalize_code(code: str) -> str:
    return "".join(str(code or "").split()).upper()


def procedure_create(*, actor, code: str, owner_unit, content: dict, change_note: str = ""):
    """A new procedure with its first draft. Nothing is public until it is published."""
    _require(actor, Cap.EDIT_CATALOG, owner_unit)
    code = normalize_code(code)
    try:
        code_validator(code)
    except Exception:
        raise CatalogError(str(code_validator.message))
    if Procedure.objects.filter(code=code).exists():
        raise CatalogError(_("Đã có thủ tục mã %(code)s.") % {"code": code})
    clean = normalize_content(content)
    with transaction.atomic():
        procedure = Procedure.objects.create(code=code, owner_unit=owner_unit)
        draft = ProcedureVersion(
            procedure=procedure, created_by=_user(actor), change_note=change_note.strip()
        )
        apply_content(draft, clean)
        audit_record(
            actor=actor,
            action="catalog.procedure.create",
            obj=procedure,
            changes={"code": code, "name": clean["name"], "owner_unit": owner_unit.code},
        )
    return draft


def procedure_draft_save(*, actor, procedure: Procedure, content: dict, change_note: str = ""):
    """Write `content` into the procedure's draft, creating the draft if there is none.

    Returns the draft, or None when there is no draft and `content` is the current version's:
    nothing to save.
    """
    _require(actor, Cap.EDIT_CATALOG, procedure.owner_unit)
    clean = normalize_content(content, procedure=procedure)
    with transaction.atomic():
        procedure = _locked(procedure)
        draft = procedure.draft()
        base = draft or procedure.current_version
        before = content_of(base) if base else None
        if before == clean and (draft is None or draft.change_note == change_note.strip()):
            return draft
        if draft is None:
            draft = ProcedureVersion(procedure=procedure, created_by=_user(actor))
        draft.change_note = change_note.strip()
        apply_content(draft, clean)
        audit_record(
            actor=actor,
            action="catalog.draft.save",
            obj=draft,
            changes={"code": procedure.code, "components": changed_components(before, clean)},
        )
    return draft


def procedure_draft_discard(*, actor, procedure: Procedure) -> None:
    _require(actor, Cap.EDIT_CATALOG, procedure.owner_unit)
    with transaction.atomic():
        procedure = _locked(procedure)
        draft = procedure.draft()
        if draft is None:
            raise CatalogError(_("Thủ tục này không có bản nháp."))
        if procedure.current_version_id is None:
            raise CatalogError(_("Không thể hủy bản nháp duy nhất của một thủ tục chưa công bố."))
        audit_record(
            actor=actor,
            action="catalog.draft.discard",
            obj=draft,
            changes={"code": procedure.code},
        )
        draft.handling_units.clear()
        draft.forms.clear()
        draft.delete()


def procedure_publish(
    *, actor, procedure: Procedure, effective_from: date | None = None, change_note=None
) -> ProcedureVersion:
    """Make the draft the current version from `effective_from` (default today)."""
    _require(actor, Cap.PUBLISH_CATALOG, procedure.owner_unit)
    today = timezone.localdate()
    effective_from = effective_from or today
    if effective_from > today:
        raise CatalogError(
            _("Ngày hiệu lực không được sau hôm nay: chỉ công bố khi thủ tục đã có hiệu lực.")
        )
    with transaction.atomic():
        procedure = _locked(procedure)
        draft = procedure.draft()
        if draft is None:
            raise CatalogError(_("Không có bản nháp để công bố."))
        previous = procedure.current_version
        if previous is not None:
            if previous.content_hash == draft.content_hash:
                raise CatalogError(
                    _("Bản nháp giống hệt phiên bản đang có hiệu lực, không có gì để công bố.")
                )
            if previous.effective_from and effective_from < previous.effective_from:
                raise CatalogError(
                    _(
                        "Ngày hiệu lực không được trước ngày hiệu lực của phiên bản hiện hành "
                        "(%(date)s)."
                    )
                    % {"date": previous.effective_from.strftime("%d/%m/%Y")}
                )
        number = (procedure.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        now = timezone.now()
        if change_note is not None:
            draft.change_note = change_note.strip()
        draft.status = VersionStatus.PUBLISHED
        draft.number = number
        draft.published_at = now
        draft.published_by = _user(actor)
        draft.effective_from = effective_from
        draft.save()
        if previous is not None:
            previous.superseded_at = now
            previous.save(update_fields=["superseded_at"])
        _refresh_listing(procedure, draft)
        static_pages.refresh_on_commit(procedure.code)
        audit_record(
            actor=actor,
            action="catalog.publish",
            obj=draft,
            changes={
                "code": procedure.code,
                "version": number,
                "previous_version": previous.number if previous else None,
                "effective_from": effective_from.isoformat(),
                "components": changed_components(
                    content_of(previous) if previous else None, content_of(draft)
                ),
            },
        )
    return draft


def _refresh_listing(procedure: Procedure, version: ProcedureVersion) -> None:
    procedure.current_version = version
    procedure.name = version.name
    procedure.domain = version.domain
    procedure.audience = version.audience
    procedure.online_level = version.online_level
    procedure.search_text = search_text_for(procedure.code, version.name, version.domain.name)
    procedure.sort_key = fold(version.name)[:500]
    procedure.published_at = version.published_at
    procedure.effective_from = version.effective_from
    procedure.save()


def search_text_for(code: str, name: str, domain_name: str) -> str:
    return fold(f"{code} {name} {domain_name}")


def _form_content_type(extension: str, data: bytes) -> str | None:
    """The content type of a form file whose bytes are what its name says, else None: the
    file is served to citizens under that type, so a renamed file must not pass."""
    content_type, magic, part = FORM_TYPES[extension]
    if not data.startswith(magic):
        return None
    if part is not None:
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                if part not in archive.namelist():
                    return None
        except zipfile.BadZipFile:
            return None
    return content_type


def form_template_add(*, actor, procedure: Procedure, name: str, upload) -> FormTemplate:
    """Store an uploaded form (PDF, DOC, DOCX or XLSX) and attach it to the procedure's draft.
    Published versions keep the forms they were published with: only the draft changes."""
    _require(actor, Cap.EDIT_CATALOG, procedure.owner_unit)
    filename = PurePath(upload.name or "").name
    extension = PurePath(filename).suffix.lower().lstrip(".")
    if extension not in FORM_TYPES:
        raise CatalogError(_("Mẫu đơn phải là tệp PDF, DOC, DOCX hoặc XLSX."))
    if upload.size > MAX_FORM_BYTES:
        raise CatalogError(_("Tệp mẫu đơn lớn quá 10 MB."))
    data = upload.read(MAX_FORM_BYTES + 1)
    content_type = _form_content_type(extension, data)
    if content_type is None:
        raise CatalogError(
            _("Tệp “%(name)s” không phải là tệp %(ext)s hợp lệ.")
            % {"name": filename, "ext": extension.upper()}
        )
    name = " ".join((name or PurePath(filename).stem).split())[:255]
    digest = FormTemplate.digest(data)
    with transaction.atomic():
        procedure = _locked(procedure)
        form = FormTemplate.objects.filter(procedure=procedure, sha256=digest, name=name).first()
        if form is None:
            form = FormTemplate(
                procedure=procedure,
                name=name,
                filename=filename[:255],
                content_type=content_type,
                size=len(data),
                sha256=digest,
                uploaded_by=_user(actor),
            )
            form.file.save(filename, ContentFile(data), save=False)
            form.save()
        base = procedure.latest_version()
        content = content_of(base)
        if form.pk not in content["forms"]:
            content["forms"] = [*content["forms"], form.pk]
            procedure_draft_save(
                actor=actor,
                procedure=procedure,
                content=content,
                change_note=base.change_note if base.is_draft else "",
            )
        audit_record(
            actor=actor,
            action="catalog.form.add",
            obj=form,
            changes={"code": procedure.code, "file": filename, "sha256": digest},
        )
    return form
