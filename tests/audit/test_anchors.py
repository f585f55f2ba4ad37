"""The worker writes the chain's head to an append-only file outside the database, and the daily
logbook prints it: a database writer who cuts the log's end and rewinds its head is caught."""

import os
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection

from motcua.audit.models import AuditEntry, AuditHead
from motcua.audit.services import (
    ChainBroken,
    audit_anchor,
    audit_last_anchor,
    audit_record,
    audit_seal,
    audit_verify,
)
from motcua.worktime.core import VN_TZ
from tests.dossiers.test_forms import needs_poppler, text_of


def _write(actor, count):
    for n in range(count):
        audit_record(actor=actor, action="test.write", object_type="org.unit", object_id=str(n))


@pytest.fixture
def anchored(org, settings):
    """Five sealed rows, anchored by a tick of the worker."""
    _write(org["quantri"], 5)
    call_command("run_worker", "--once")
    return list(AuditEntry.objects.order_by("seq"))


def test_each_worker_tick_anchors_a_new_head_once(anchored, org, settings):
    head = AuditHead.objects.get()
    assert audit_last_anchor()[1:] == (5, head.hash)

    call_command("run_worker", "--once")  # nothing new: no new line
    _write(org["quantri"], 1)
    call_command("run_worker", "--once")

    lines = Path(settings.AUDIT_ANCHOR_FILE).read_text().splitlines()
    assert [line.split()[1] for line in lines] == ["5", "6"]


def test_cutting_the_end_and_rewinding_the_head_is_caught_by_the_anchor(anchored, tmp_path):
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE seq > 3")
    AuditHead.objects.filter(pk=1).update(seq=3, hash=anchored[2].hash)
    # The database alone is consistent again: only the anchor file remembers row #5.
    assert audit_verify(anchor_file=tmp_path / "none.log") == (3, 0)

    with pytest.raises(ChainBroken, match="anchored at row #5") as broken:
        audit_verify()
    assert broken.value.seq == 4


def test_an_edited_anchor_line_is_refused(anchored, settings):
    with open(settings.AUDIT_ANCHOR_FILE) as file:
        at, seq, hash_, signature = file.read().split()
    with open(settings.AUDIT_ANCHOR_FILE, "w") as file:
        file.write(f"{at} 3 {hash_} {signature}\n")

    with pytest.raises(ChainBroken, match="not signed with the audit key"):
        audit_verify()


def test_the_verify_command_names_the_last_anchor(anchored, capsys):
    call_command("audit_verify")
    out = capsys.readouterr().out
    assert "Nhật ký toàn vẹn: 5 bản ghi" in out
    assert "Khớp mốc neo #5" in out


@needs_poppler
def test_the_logbook_prints_the_anchored_head(org):
    from motcua.dossiers import printing

    _write(org["quantri"], 2)
    audit_seal()
    with time_machine.travel(datetime(2026, 12, 1, 7, 5, tzinfo=VN_TZ), tick=False):
        anchor = audit_anchor()

    desk = org.units["VINHPHU"].desks.get()
    pdf = printing.render_logbook_pdf(
        org["tiepnhan.vinhphu"], desk, date(2026, 12, 1), date(2026, 12, 1)
    )

    text = " ".join(text_of(pdf).split())
    assert f"bản ghi #2, mã {anchor.hash[:12]}, neo lúc 07:05 01/12/2026" in text


def _audit_key(tmp_path, **env) -> str:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("AUDIT_KEY", "DJANGO_"))},
        "MOTCUA_VAR": str(tmp_path),
        **env,
    }
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "motcua",
            "shell",
            "-c",
            "from django.conf import settings; print(settings.AUDIT_KEY)",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()[-1]


def test_the_key_comes_from_the_environment_or_a_key_file_never_the_database(tmp_path):
    assert _audit_key(tmp_path, AUDIT_KEY="khoa-tu-moi-truong") == "khoa-tu-moi-truong"
    key_file = tmp_path / "elsewhere.key"
    key_file.write_text("khoa-trong-tep\n")
    assert _audit_key(tmp_path, AUDIT_KEY_FILE=str(key_file)) == "khoa-trong-tep"

    generated = _audit_key(tmp_path)  # a development checkout: generated once under var/
    assert len(generated) >= 40 and generated == (tmp_path / "audit_key").read_text()
    assert (tmp_path / "audit_key").stat().st_mode & 0o777 == 0o600
    assert _audit_key(tmp_path) == generated
