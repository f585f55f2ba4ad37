"""A scan written by an intake that never committed (the process was killed between writing
the file and the commit) is found and removed by `motcua remove-orphan-files`; the scans of
real dossiers and files of an intake still in progress stay."""

import os
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command

from motcua.audit.models import AuditEntry
from motcua.dossiers.services import dossier_receive
from tests.dossiers.stories import all_documents

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


@pytest.fixture(autouse=True)
def _own_media_root(settings, tmp_path):
    # Other tests' dossiers are rolled back but their files stay: orphans of their own.
    settings.MEDIA_ROOT = str(tmp_path)


def _aged(name: str, minutes: int) -> Path:
    path = Path(settings.MEDIA_ROOT) / name
    then = time.time() - minutes * 60
    os.utime(path, (then, then))
    return path


def _setup(org, tam_tru, desk_vinhphu, citizen):
    dossier = dossier_receive(
        actor=org["tiepnhan.vinhphu"],
        desk=desk_vinhphu,
        procedure_version=tam_tru,
        applicant=citizen,
        checklist=all_documents(),
        files=[ContentFile(PDF, name="to-khai.pdf")],
    )
    kept = _aged(dossier.files.get().file.name, 24 * 60)
    orphan = _aged(default_storage.save("dossiers/2026/11/killed-intake.pdf", ContentFile(PDF)), 90)
    fresh = Path(settings.MEDIA_ROOT) / default_storage.save(
        "dossiers/2026/11/in-progress.pdf", ContentFile(PDF)
    )
    return kept, orphan, fresh


def test_it_removes_old_files_no_dossier_refers_to(
    org, tam_tru, desk_vinhphu, citizen, friday_16h, capsys
):
    kept, orphan, fresh = _setup(org, tam_tru, desk_vinhphu, citizen)
    call_command("remove_orphan_files")
    out = capsys.readouterr().out
    assert "dossiers/2026/11/killed-intake.pdf" in out and "Đã xóa 1 tệp" in out
    assert not orphan.exists()
    assert kept.exists() and fresh.exists()
    entry = AuditEntry.objects.get(action="dossier.files.orphans_removed")
    assert entry.changes == {"files": ["dossiers/2026/11/killed-intake.pdf"]}


def test_a_dry_run_only_lists_them(org, tam_tru, desk_vinhphu, citizen, friday_16h, capsys):
    _kept, orphan, _fresh = _setup(org, tam_tru, desk_vinhphu, citizen)
    call_command("remove_orphan_files", "--dry-run")
    assert "Sẽ xóa 1 tệp" in capsys.readouterr().out
    assert orphan.exists()
    assert not AuditEntry.objects.filter(action="dossier.files.orphans_removed").exists()
