"""Returning the result at Vinh Phú's desk records who took it: Nguyễn Thị Lan herself, or a
named proxy with an ID number, who then signs for it on the process control slip (the last
row, the result's hand-over) and in the desk's logbook (the "Ký nhận" column)."""

import io
import re
import subprocess
from datetime import date

import pytest
from openpyxl import load_workbook

from motcua.audit.models import AuditEntry
from motcua.dossiers import printing
from motcua.dossiers.errors import InvalidInput
from motcua.dossiers.logbook import render_logbook_xlsx
from motcua.dossiers.models import Dossier, Recipient, Status
from motcua.dossiers.services import (
    dossier_assign,
    dossier_record_payment,
    dossier_return,
)
from tests.dossiers.api_client import ApiAs, errors_of
from tests.dossiers.stories import approved
from tests.dossiers.test_views import action_url, detail_url, login

PROXY = {"recipient_name": "Trần Văn Bình", "recipient_id_number": "040090003344"}


@pytest.fixture
def ready(org, received):
    """Lan's dossier with its result ready and its fee paid: it waits at the desk."""
    leader, desk = org["lanhdao.vinhphu"], org["tiepnhan.vinhphu"]
    d = dossier_assign(
        actor=leader, dossier=received, version=received.version, handler=org["xuly.vinhphu"]
    )
    d = approved(d, handler=org["xuly.vinhphu"], leader=leader)
    return dossier_record_payment(
        actor=desk, dossier=d, version=d.version, amount=15000, channel="cash"
    )


def give(org, d, **params):
    return dossier_return(actor=org["tiepnhan.vinhphu"], dossier=d, version=d.version, **params)


def test_the_applicant_herself_takes_the_result(org, ready):
    d = give(org, ready)
    fresh = Dossier.objects.get(pk=d.pk)
    assert (fresh.recipient_kind, fresh.recipient_name, fresh.recipient_id_number) == (
        Recipient.APPLICANT,
        "Nguyễn Thị Lan",
        "040190012345",
    )
    audit = AuditEntry.objects.get(action="dossier.return", object_id=str(d.pk))
    assert audit.changes["recipient_name"] == "Nguyễn Thị Lan"


def test_a_named_proxy_takes_it_with_an_id_number(org, ready):
    d = give(org, ready, recipient="proxy", **PROXY)
    fresh = Dossier.objects.get(pk=d.pk)
    assert fresh.status == Status.RETURNED
    assert (fresh.recipient_kind, fresh.recipient_name, fresh.recipient_id_number) == (
        "proxy",
        "Trần Văn Bình",
        "040090003344",
    )
    assert fresh.actions.get(action="return").data["recipient_id_number"] == "040090003344"


@pytest.mark.parametrize(
    "params, field",
    [
        ({"recipient_name": "", "recipient_id_number": "040090003344"}, "recipient_name"),
        ({"recipient_name": "Trần Văn Bình", "recipient_id_number": ""}, "recipient_id_number"),
        (
            {"recipient_name": "Trần Văn Bình", "recipient_id_number": "04009000334²"},
            "recipient_id_number",
        ),
    ],
)
def test_a_proxy_without_name_or_valid_id_is_refused(org, ready, params, field):
    with pytest.raises(InvalidInput) as caught:
        give(org, ready, recipient="proxy", **params)
    assert field in caught.value.fields
    fresh = Dossier.objects.get(pk=ready.pk)
    assert fresh.status == Status.RESULT_READY and fresh.recipient_name == ""
    assert fresh.version == ready.version


def test_an_unknown_kind_of_recipient_is_refused(org, ready):
    with pytest.raises(InvalidInput) as caught:
        give(org, ready, recipient="neighbour")
    assert "recipient" in caught.value.fields


def test_the_dossier_page_records_the_proxy(client, org, ready):
    login(client, org, "tiepnhan.vinhphu")
    form = client.get(action_url(ready, "return")).content.decode()
    assert 'name="recipient_id_number"' in form

    bad = client.post(
        action_url(ready, "return"),
        {"version": ready.version, "method": "desk", "recipient": "proxy", **PROXY}
        | {"recipient_id_number": "123"},
    )
    assert bad.status_code == 422 and "đúng 12 chữ số" in bad.content.decode()

    client.post(
        action_url(ready, "return"),
        {"version": ready.version, "method": "desk", "recipient": "proxy", **PROXY},
    )
    page = client.get(detail_url(ready)).content.decode()
    assert "Trần Văn Bình (người được ủy quyền), số định danh 040090003344" in page


def test_the_api_records_the_proxy_and_refuses_a_bad_id(client, org, ready):
    api = ApiAs(client, org["tiepnhan.vinhphu"])
    status, body = api.act(
        ready.code, "return", ready.version, recipient="proxy", recipient_name="Trần Văn Bình"
    )
    assert status == 422
    assert "recipient_id_number" in errors_of(body)

    status, body = api.act(ready.code, "return", ready.version, recipient="proxy", **PROXY)
    assert status == 200
    assert (body["recipient_kind"], body["recipient_name"], body["recipient_id_number"]) == (
        "proxy",
        "Trần Văn Bình",
        "040090003344",
    )


def raw_text(pdf: bytes) -> str:
    """The text in drawing order (cell by cell), runs of spaces squeezed."""
    out = subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    return re.sub(r"\s+", " ", out)


def test_the_control_slip_gives_the_recipient_a_place_to_sign(org, ready):
    d = give(org, ready, recipient="proxy", **PROXY)
    text = raw_text(printing.render_dossier_form("control", d))
    last_row = text[text.rindex("Trả kết quả Công an phường Vinh Phú") :]
    assert "Người giao: Hoàng Thị Thu Người nhận: Trần Văn Bình" in last_row
    assert (
        "Người nhận kết quả: Trần Văn Bình (người được ủy quyền), số định danh 040090003344"
        in last_row
    )
    # Earlier hand-overs keep their blank places to sign.
    assert "Người giao: Người nhận:" in text[: text.rindex("Trả kết quả Công an phường")]


def test_the_logbook_names_who_signs_for_the_result(org, ready, desk_vinhphu):
    d = give(org, ready, recipient="proxy", **PROXY)
    day = date(2026, 11, 27)
    pdf = printing.render_logbook_pdf(org["tiepnhan.vinhphu"], desk_vinhphu, day, day)
    signed = raw_text(pdf)
    assert "Trần Văn Bình (người được ủy quyền), số định danh 040090003344" in signed

    xlsx = render_logbook_xlsx(org["tiepnhan.vinhphu"], desk_vinhphu, day, day)
    book = load_workbook(filename=io.BytesIO(xlsx))
    sheet = book.active
    codes = {sheet.cell(row=r, column=2).value: r for r in range(5, sheet.max_row + 1)}
    assert sheet.cell(row=codes[d.code], column=11).value == (
        "Trần Văn Bình (người được ủy quyền), số định danh 040090003344"
    )
