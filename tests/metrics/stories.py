"""Dossiers with known outcomes for the index tests, made by the real services at given times.

Đăng ký tạm trú: 180 working minutes; sessions 07:30–11:30 and 13:30–17:00, Monday to Friday.
Received at 08:00 it is due at 11:00 the same day; received at 16:00 it is due at 09:30 the next
working day. Fee 15.000 đ at the desk, 7.000 đ online."""

from datetime import datetime

from django.core.files.base import ContentFile

from motcua.dossiers.services import dossier_receive, perform
from motcua.worktime.core import VN_TZ
from tests.dossiers.stories import CITIZEN, all_documents

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


def vn(*args):
    return datetime(*args, tzinfo=VN_TZ)


class Desk:
    """The staff of one ward: receive and move dossiers at chosen instants."""

    def __init__(self, org, procedure, code: str):
        self.unit = org.units[code]
        self.desk = self.unit.desks.get()
        suffix = code.lower()
        self.receptionist = org[f"tiepnhan.{suffix}"]
        self.handler = org[f"xuly.{suffix}"]
        self.leader = org[f"lanhdao.{suffix}"]
        self.procedure = procedure

    def receive(self, at, *, channel="desk", scanned=False):
        d = dossier_receive(
            actor=self.receptionist,
            desk=self.desk,
            procedure_version=self.procedure,
            applicant=dict(CITIZEN),
            checklist=all_documents(),
            channel=channel,
            files=[ContentFile(PDF, name="to-khai.pdf")] if scanned else None,
            at=at,
        )
        return self.act(d, "assign", self.leader, at=at, handler=self.handler)

    def act(self, d, action, actor, **params):
        return perform(action, actor=actor, dossier=d, version=d.version, **params)

    def approve(self, d, at, *, e_result=False):
        d = self.act(d, "submit", self.handler, at=at, result="Đã đăng ký tạm trú")
        return self.act(d, "approve", self.leader, at=at, e_result=e_result)

    def pay(self, d, at, channel):
        return self.act(
            d, "record_payment", self.receptionist, at=at, amount=d.fee_amount, channel=channel
        )

    def refuse(self, d, at):
        return self.act(d, "refuse", self.leader, at=at, reasons="Không đủ điều kiện")

    def stop(self, d, at):
        return self.act(d, "stop", self.receptionist, at=at, reason="Công dân rút hồ sơ")

    def supplement(self, d, asked_at, back_at):
        d = self.act(d, "request_supplement", self.handler, at=asked_at, items=["Hợp đồng"])
        return self.act(d, "receive_supplement", self.receptionist, at=back_at)
