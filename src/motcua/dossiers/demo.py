"""Past dossiers for the demo: a few months of work at the desks of two wards, so that queues,
logbooks and indices have something to show.

Every dossier is made by the real services (`dossier_receive`, `perform(...)`, the intake slips)
with `at=` instants in the past, so codes, clocks, due times and flags (late, early, apology late,
supplement late) are the ones the application computes. Each kind of dossier is one story
function below; a story's steps that would fall after now do not happen, and every other dossier
of the last two weeks is left open, in each open state in turn. The generator uses a fixed random
seed and runs once: a second run adds nothing (the `demo.history` audit row marks it done, so a
database that already has it gets no more, even months later).

It is a separate step of `seed-demo`: the tests' `org` fixture does not seed it.
"""

import contextlib
import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from motcua.audit.models import AuditEntry
from motcua.audit.services import audit_record
from motcua.catalog.models import Procedure
from motcua.dossiers.models import Channel, Dossier
from motcua.dossiers.services import (
    dossier_receive,
    intake_incomplete,
    intake_refuse,
    perform,
)
from motcua.dossiers.watch import deadline_watch
from motcua.org.models import Desk, User
from motcua.worktime.core import VN_TZ, add, working_minutes_between
from motcua.worktime.services import calendar_for_unit

MARKER = "demo.history"
SEED = 20250701
WEEKS = 13

# desk code, receptionist, handler, leader, the neighbourhoods its citizens live in
TEAMS = [
    (
        "VINHPHU-MC",
        "tiepnhan.vinhphu",
        "xuly.vinhphu",
        "lanhdao.vinhphu",
        ["khối Yên Giang", "xóm Phú Thọ", "đường Hà Huy Tập", "xóm Đông Lộc"],
    ),
    (
        "THANHVINH-MC",
        "tiepnhan.thanhvinh",
        "xuly.thanhvinh",
        "lanhdao.thanhvinh",
        ["đường Lê Lợi", "khối 5", "đường Quang Trung", "đường Nguyễn Du"],
    ),
]
# Procedures the department PC06 handles: a ward desk receives them and sends them up.
DEPARTMENT_TEAM = ("xuly.pc06", "lanhdao.pc06")

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Võ", "Đặng", "Bùi", "Hồ", "Đinh"]
MIDDLE = ["Văn", "Thị", "Đình", "Hữu", "Minh", "Thu", "Ngọc", "Quang", "Thanh", "Xuân"]
GIVEN = [
    "An",
    "Bình",
    "Cường",
    "Dung",
    "Giang",
    "Hà",
    "Hạnh",
    "Hùng",
    "Lan",
    "Linh",
    "Long",
    "Mai",
    "Nam",
    "Nga",
    "Phương",
    "Quân",
    "Sơn",
    "Tâm",
    "Thảo",
    "Trang",
    "Tuấn",
    "Yến",
]


@dataclass
class Team:
    desk: Desk
    receptionist: User
    handler: User
    leader: User
    streets: list[str]
    procedures: list  # current versions received here
    forwarded: list  # current versions handled by PC06


class _Later(Exception):
    """A story reached a step that has not happened yet."""


class Story:
    """One dossier's life: each step runs at its planned instant, unless that is after now."""

    def __init__(self, team: Team, rng: random.Random, now: datetime, at: datetime):
        self.team, self.rng, self.now, self.at = team, rng, now, at
        self.cal = calendar_for_unit(team.desk.unit)
        self.dossier: Dossier | None = None

    def later(self, duration: str) -> datetime:
        """Advance the story's time by a working duration ("40m", "2h", "1d")."""
        self.at = add(self.cal, self.at, duration)
        return self.at

    def act(self, action: str, actor: User, **params) -> None:
        if self.at > self.now:
            raise _Later
        self.dossier = perform(
            action,
            actor=actor,
            dossier=self.dossier,
            version=self.dossier.version,
            at=self.at,
            **params,
        )

    def applicant(self) -> dict:
        rng = self.rng
        female = rng.random() < 0.5
        middle = "Thị" if female else rng.choice([m for m in MIDDLE if m != "Thị"])
        year = rng.randint(1955, 1999)
        return {
            "kind": "person",
            "name": f"{rng.choice(FAMILY)} {middle} {rng.choice(GIVEN)}",
            # Nghệ An (040), 20th century: 0 for a man, 1 for a woman (Circular 07/2016/TT-BCA).
            "id_number": f"040{int(female)}{year % 100:02d}{rng.randint(0, 999999):06d}",
            "address": f"Số {rng.randint(1, 180)}, {rng.choice(self.team.streets)}, "
            f"{self.team.desk.unit.name.replace('Công an ', '')}, Nghệ An",
            "phone": f"09{rng.randint(10000000, 99999999)}",
        }

    def receive(self, version, *, channel=Channel.DESK) -> None:
        if self.at > self.now:
            raise _Later
        self.dossier = dossier_receive(
            actor=self.team.receptionist,
            desk=self.team.desk,
            procedure_version=version,
            applicant=self.applicant(),
            checklist=[d["name"] for d in version.documents],
            channel=channel,
            request_summary=version.name,
            at=self.at,
        )

    def assign(self) -> None:
        self.later(f"{self.rng.randint(10, 90)}m")
        self.act("assign", self.team.leader, handler=self.team.handler)

    def finish(self, share: float, handler=None, leader=None) -> None:
        """The handler works and submits a draft, then the leader approves it when `share` of the
        time left has passed (past 1.0: late)."""
        budget = working_minutes_between(self.cal, self.at, self.dossier.due_at)
        self.later(f"{max(20, int(budget * share * 0.6))}m")
        self.act(
            "process",
            handler or self.team.handler,
            note="Đã kiểm tra, xác minh thông tin trong Cơ sở dữ liệu quốc gia về dân cư.",
        )
        self.later(f"{max(5, int(budget * share * 0.1))}m")
        self.submit(handler)
        self.later(f"{max(5, int(budget * share * 0.3))}m")
        self.approve(leader)

    def submit(self, handler=None) -> None:
        self.act(
            "submit",
            handler or self.team.handler,
            result=f"Đã giải quyết: {self.dossier.procedure_version.name}.",
        )

    def approve(self, leader=None) -> None:
        """The leader approves the draft as the handler submitted it."""
        self.act("approve", leader or self.team.leader)

    def pay_and_return(self) -> None:
        self.later(f"{self.rng.randint(30, 600)}m")
        if self.dossier.fee_amount and self.dossier.fee_paid_at is None:
            self.act(
                "record_payment",
                self.team.receptionist,
                amount=self.dossier.fee_amount,
                channel=self.rng.choice(["cash", "transfer", "online"]),
            )
        self.act("return", self.team.receptionist, method=self.rng.choice(["desk", "desk", "post"]))


def _pc06():
    handler, leader = DEPARTMENT_TEAM
    return User.objects.get(username=handler), User.objects.get(username=leader)


# ---------------------------------------------------------------- the stories, one per kind


def returned_on_time(s: Story) -> None:
    s.receive(s.rng.choice(s.team.procedures), channel=s.rng.choice([Channel.DESK, Channel.ONLINE]))
    s.assign()
    s.finish(s.rng.uniform(0.3, 0.9))
    s.pay_and_return()


def returned_late(s: Story) -> None:
    s.receive(s.rng.choice(s.team.procedures))
    s.assign()
    s.finish(s.rng.uniform(1.1, 1.6))
    s.pay_and_return()


def apologised(s: Story) -> None:
    """The handling unit sees it will be late, apologises with a new date (once), then makes it."""
    days = [v for v in s.team.procedures if v.time_unit == "working_days" and v.time_value >= 3]
    s.receive(s.rng.choice(days))
    s.assign()
    # Some apologies come less than the required working day before the deadline.
    late = s.rng.random() < 0.4
    s.later(f"{s.dossier.procedure_version.time_value - 1 if late else 1}d")
    new_due = add(s.cal, s.dossier.due_at, f"{s.rng.randint(2, 4)}d")
    s.act(
        "apologise",
        s.team.leader,
        new_due=new_due,
        reason="Cần xác minh thêm thông tin nhân thân tại nơi đăng ký khai sinh.",
    )
    s.at = max(s.at, s.dossier.original_due_at)
    s.later("1d")
    s.act("process", s.team.handler, note="Đã có kết quả xác minh.")
    s.later("1h")
    s.submit()
    s.later("1h")
    s.approve()
    s.pay_and_return()


def supplemented(s: Story) -> None:
    """After appraisal the handler asks for one more document; the clock restarts on its return."""
    s.receive(s.rng.choice(s.team.procedures))
    s.assign()
    s.later(f"{s.rng.randint(30, 180)}m")
    s.act(
        "request_supplement",
        s.team.handler,
        items=["Bản sao giấy khai sinh có chứng thực"],
        note="Thông tin trong tờ khai chưa khớp với Cơ sở dữ liệu về cư trú.",
    )
    s.later(f"{s.rng.randint(1, 4)}d")
    s.act("receive_supplement", s.team.receptionist, note="Công dân đã nộp bổ sung.")
    s.finish(s.rng.uniform(0.3, 0.9))
    s.pay_and_return()


def refused(s: Story) -> None:
    s.receive(s.rng.choice(s.team.procedures))
    s.assign()
    s.later(f"{s.rng.randint(60, 300)}m")
    s.act(
        "refuse",
        s.team.leader,
        reasons="Chỗ ở đề nghị đăng ký không đủ điều kiện theo Điều 20 Luật Cư trú.",
    )


def withdrawn(s: Story) -> None:
    s.receive(s.rng.choice(s.team.procedures))
    s.later(f"{s.rng.randint(30, 240)}m")
    s.act("stop", s.team.receptionist, reason="Công dân xin rút hồ sơ để nộp tại nơi khác.")


def sent_to_department(s: Story) -> None:
    """A ward desk receives a PC06 procedure, sends the paper up, PC06 decides, the ward returns."""
    handler, leader = _pc06()
    s.receive(s.rng.choice(s.team.forwarded))
    s.later(f"{s.rng.randint(60, 400)}m")
    s.act("transfer", s.team.receptionist, mode="paper")
    s.later(f"{s.rng.randint(10, 90)}m")
    s.act("assign", leader, handler=handler)
    s.finish(s.rng.uniform(0.4, 1.2), handler=handler, leader=leader)
    s.pay_and_return()


def incomplete_at_intake(s: Story) -> None:
    if s.at > s.now:
        raise _Later
    version = s.rng.choice(s.team.procedures)
    intake_incomplete(
        actor=s.team.receptionist,
        desk=s.team.desk,
        procedure_version=version,
        applicant=s.applicant(),
        missing=[d["name"] for d in version.documents[:1]] or ["Tờ khai"],
        at=s.at,
    )


def refused_at_intake(s: Story) -> None:
    if s.at > s.now:
        raise _Later
    intake_refuse(
        actor=s.team.receptionist,
        desk=s.team.desk,
        procedure_version=s.rng.choice(s.team.procedures),
        applicant=s.applicant(),
        reasons=["Người nộp không thuộc đối tượng thực hiện thủ tục tại địa bàn phường."],
        at=s.at,
    )


# Dossiers received in the last days may still be open in any state.


def awaiting_transfer(s: Story) -> None:
    s.receive(s.rng.choice(s.team.forwarded))


def awaiting_assignment(s: Story) -> None:
    s.receive(s.rng.choice(s.team.procedures))


def in_progress(s: Story) -> None:
    """Assigned and worked on, not decided: overdue once its due time passes."""
    s.receive(s.rng.choice(s.team.procedures))
    s.assign()
    s.later(f"{s.rng.randint(30, 240)}m")
    s.act("process", s.team.handler, note="Đang xác minh thông tin.")


def awaiting_approval(s: Story) -> None:
    s.receive(s.rng.choice(s.team.procedures))
    s.assign()
    s.later(f"{s.rng.randint(30, 240)}m")
    s.act("process", s.team.handler, note="Đã xác minh, đủ điều kiện.")
    s.later(f"{s.rng.randint(10, 60)}m")
    s.submit()


def awaiting_supplement(s: Story) -> None:
    s.receive(s.rng.choice(s.team.procedures))
    s.assign()
    s.later(f"{s.rng.randint(30, 180)}m")
    s.act("request_supplement", s.team.handler, items=["Giấy tờ chứng minh chỗ ở hợp pháp"])


def result_not_collected(s: Story) -> None:
    s.receive(s.rng.choice(s.team.procedures))
    s.assign()
    s.finish(s.rng.uniform(0.3, 0.9))


STORIES = [
    (returned_on_time, 50),
    (returned_late, 8),
    (apologised, 6),
    (supplemented, 10),
    (refused, 5),
    (withdrawn, 4),
    (sent_to_department, 7),
    (incomplete_at_intake, 6),
    (refused_at_intake, 4),
]
RECENT_DAYS = 14
# Every other dossier of the last days is left open, in each open state in turn.
OPEN_STORIES = [
    awaiting_transfer,
    awaiting_assignment,
    in_progress,
    awaiting_approval,
    awaiting_supplement,
    result_not_collected,
]


# ---------------------------------------------------------------- the generator


def _team(desk_code, receptionist, handler, leader, streets) -> Team:
    desk = Desk.objects.select_related("unit").get(code=desk_code)
    current = [
        p.current_version
        for p in Procedure.objects.published()
        .filter(audience="public")
        .select_related("current_version")
        .order_by("code")
    ]
    here = [v for v in current if v.handling_units.filter(pk=desk.unit_id).exists()]
    up = [
        v
        for v in current
        if v.handling_units.filter(code="PC06").exists()
        and not v.handling_units.filter(pk=desk.unit_id).exists()
    ]
    users = {
        u.username: u for u in User.objects.filter(username__in=[receptionist, handler, leader])
    }
    return Team(desk, users[receptionist], users[handler], users[leader], streets, here, up)


def _intake_instants(cal, rng: random.Random, start, now):
    """A few arrivals on each working day from `start` to `now`, during office hours."""
    day = start
    while day <= now.astimezone(VN_TZ).date():
        if cal.is_working_day(day):
            for _ in range(rng.randint(1, 2)):
                session = rng.choice(cal.sessions_on(day))
                minute = rng.randint(session[0], session[1] - 30)
                yield datetime.combine(day, time(), VN_TZ) + timedelta(minutes=minute)
        day += timedelta(days=1)


def seed() -> int:
    """Seed the past dossiers once; returns how many stories ran (0 when already seeded)."""
    if AuditEntry.objects.filter(action=MARKER).exists():
        return 0
    now = timezone.now()
    rng = random.Random(SEED)
    start = (now.astimezone(VN_TZ) - timedelta(weeks=WEEKS)).date()
    recent = now - timedelta(days=RECENT_DAYS)
    stories, weights = zip(*STORIES, strict=True)
    opened = 0
    count = 0
    with transaction.atomic():
        for spec in TEAMS:
            team = _team(*spec)
            cal = calendar_for_unit(team.desk.unit)
            arrivals = sorted(at for at in _intake_instants(cal, rng, start, now) if at <= now)
            for number, at in enumerate(arrivals):
                if at > recent and number % 2:
                    story = OPEN_STORIES[opened % len(OPEN_STORIES)]
                    opened += 1
                else:
                    story = rng.choices(stories, weights)[0]
                with contextlib.suppress(_Later):
                    story(Story(team, rng, now, at))
                count += 1
        deadline_watch(now=now)
        audit_record(actor="seed-demo", action=MARKER, changes={"stories": count})
    return count
