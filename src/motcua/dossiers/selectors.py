"""Reads of dossiers. Every one starts from Dossier.objects.for_user(user): the unit subtree."""

import re
from datetime import date, datetime, time, timedelta

from django.db import connection
from django.db.models import Count, F, Q
from django.db.models.functions import Collate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.catalog.text import search_terms
from motcua.dossiers.models import DeadlineFlag, Dossier, IntakeSlip, Notification, Status
from motcua.org.scoping import scope

QUEUE_PAGE = 50


def _base(user):
    return Dossier.objects.for_user(user).select_related(
        "procedure_version",
        "procedure_version__procedure",
        "handling_unit",
        "receiving_unit",
        "handler",
        "desk",
    )


# name -> (label, filter for the user, ordering). "Mine" is decided by role in queue_for().
QUEUES = {
    "to_transfer": (_("Chờ chuyển đơn vị giải quyết"), Q(status=Status.RECEIVED), "received_at"),
    "to_assign": (_("Chờ phân công"), Q(status=Status.ASSIGNING), "due_at"),
    "in_progress": (_("Đang xử lý"), Q(status=Status.PROCESSING), "due_at"),
    "to_approve": (_("Chờ phê duyệt"), Q(status=Status.PENDING_APPROVAL), "due_at"),
    "supplement": (_("Chờ công dân bổ sung"), Q(status=Status.SUPPLEMENT), "received_at"),
    "nearing": (
        _("Sắp đến hạn"),
        Q(
            status__in=[Status.ASSIGNING, Status.PROCESSING, Status.PENDING_APPROVAL],
            deadline_flag=DeadlineFlag.NEARING,
        ),
        "due_at",
    ),
    "overdue": (
        _("Quá hạn"),
        Q(
            status__in=[
                Status.RECEIVED,
                Status.ASSIGNING,
                Status.PROCESSING,
                Status.PENDING_APPROVAL,
            ],
            deadline_flag=DeadlineFlag.OVERDUE,
        ),
        "due_at",
    ),
    "to_return": (_("Chờ trả kết quả"), Q(status=Status.RESULT_READY), "result_ready_at"),
}


# Every status that some queue shows: returned, refused and stopped dossiers are in none.
QUEUE_STATUSES = (
    Status.RECEIVED,
    Status.ASSIGNING,
    Status.PROCESSING,
    Status.PENDING_APPROVAL,
    Status.SUPPLEMENT,
    Status.RESULT_READY,
)


# What a queue row shows and its time-left needs. PostgreSQL sorts every matching row before it
# cuts the page, so columns not read here (the version's JSON, the checklist) are not sorted either:
# 2-3x faster at 100,000 dossiers than the full rows of `_base`.
QUEUE_ROW = (
    "code",
    "status",
    "applicant_name",
    "clock",
    "due_at",
    "deadline_flag",
    "received_at",
    "result_ready_at",
    "finished_on_time",
    "procedure_version__name",
    "handling_unit__name",
    "handling_unit__path",
    "handler__username",
    "handler__first_name",
    "handler__last_name",
)


def queue(
    user, name: str, *, mine: bool = False, unit=None, limit: int = QUEUE_PAGE, offset: int = 0
):
    """One work queue, oldest deadline first. `mine` keeps a handler's own dossiers."""
    _label, condition, order = QUEUES[name]
    rows = (
        Dossier.objects.for_user(user)
        .select_related("procedure_version", "handling_unit", "handler")
        .only(*QUEUE_ROW)
        .filter(condition)
    )
    if mine:
        rows = rows.filter(handler=user)
    if unit is not None:
        rows = rows.filter(
            Q(handling_unit__path__startswith=unit.path)
            | Q(receiving_unit__path__startswith=unit.path)
        )
    return rows.order_by(order, "id")[offset : offset + limit]


# A search result row: the queue row's columns and the ones a finished dossier shows.
SEARCH_ROW = (*QUEUE_ROW, "returned_at", "finished_at")


def search_page(user, q: str, *, limit: int = QUEUE_PAGE, offset: int = 0):
    """The staff search box: newest first. Nothing for a query without a word to look for."""
    if not search_words(q):
        return Dossier.objects.none()
    rows = (
        Dossier.objects.for_user(user)
        .select_related("procedure_version", "handling_unit", "handler")
        .only(*SEARCH_ROW)
    )
    return newest_matching(rows, q, limit=limit, offset=offset)


def queue_counts(user, *, mine: bool = False) -> dict[str, int]:
    """Every queue's count in one pass over the user's dossiers that can be in a queue (2-3x
    faster than one COUNT per queue at 100,000 dossiers; the status filter keeps the pass off
    the finished dossiers, which are most of them)."""
    rows = Dossier.objects.for_user(user).filter(status__in=QUEUE_STATUSES)
    if mine:
        rows = rows.filter(handler=user)
    counts = rows.aggregate(
        **{name: Count("pk", filter=condition) for name, (_l, condition, _o) in QUEUES.items()}
    )
    return {name: counts[name] or 0 for name in QUEUES}


def dossier_for_user(user, code: str) -> Dossier | None:
    """The dossier, if the user may see it (None otherwise: a sibling's dossier does not exist)."""
    return _base(user).filter(code=code).first()


def dossier_search(
    user,
    *,
    status: str = "",
    overdue: bool | None = None,
    unit_code: str = "",
    q: str = "",
    limit: int = 100,
    offset: int = 0,
):
    rows = _base(user)
    if status:
        rows = rows.filter(status=status)
    if overdue is True:
        rows = rows.filter(deadline_flag=DeadlineFlag.OVERDUE)
    elif overdue is False:
        rows = rows.exclude(deadline_flag=DeadlineFlag.OVERDUE)
    if unit_code:
        rows = rows.filter(Q(handling_unit__code=unit_code) | Q(receiving_unit__code=unit_code))
    return newest_matching(rows, q, limit=limit, offset=offset)


CODE_WORD = re.compile(r"[0-9A-Za-z.-]*[-.][0-9A-Za-z.-]*")


def search_words(q: str) -> list[str]:
    """The words to look for: a code or part of one ("H40-261127-0001") kept whole, lower-cased,
    so that its parts are not matched apart (its "0001" inside someone's ID number); any other
    word folded as catalog.text folds names ("Đặng" -> "dang")."""
    words: list[str] = []
    for raw in q.split():
        found = [raw.lower().strip(".-")] if CODE_WORD.fullmatch(raw) else search_terms(raw)
        words.extend(w for w in found if w and w not in words)
    return words[:8]


FULL_CODE = re.compile(r"[0-9a-z.]+-[0-9]{6}-[0-9]{4,}")


def _exact(word: str) -> bool:
    """A whole code, ID number or phone number: matched on its own B-tree index."""
    return bool(FULL_CODE.fullmatch(word)) or (word.isdigit() and 9 <= len(word) <= 12)


def _word(word: str, *, walking: bool = False) -> Q:
    """Where one word is looked for. A whole code, ID number or phone number is matched exactly
    on its own B-tree index: their digits ("040...", "000.46.15.h40-26...") are in nearly every
    row, so the trigram index would intersect posting lists of 100,000 rows (90-180 ms measured).
    Any other word (a name, part of a number) is looked for inside the folded column; `walking`
    (see newest_matching) in a form the trigram index does not serve, so that PostgreSQL filters
    the newest rows instead of reading every match."""
    if FULL_CODE.fullmatch(word):
        return Q(code=word.upper())
    if word.isdigit() and 9 <= len(word) <= 12:
        return (
            Q(applicant_id_number=word)
            | Q(proxy_id_number=word)
            | Q(applicant_phone__in=[word, f"+{word}"])
            | Q(applicant_org_code=word)
        )
    if walking:
        return Q(search_walk__contains=word)
    return Q(search_text__contains=word)


def _unindexed(column: str):
    """The column under a collation no index of it has: PostgreSQL filters rows by it with the
    column's statistics, and cannot answer it from the trigram index. LIKE '%word%' gives the
    same rows under any deterministic collation. SQLite has no trigram index to avoid."""
    if connection.vendor == "postgresql":
        return Collate(column, "C")
    return F(column)


def matching(rows, q: str, *, walking: bool = False):
    """Dossiers whose code, applicant or proxy name (with or without diacritics), ID number or
    phone holds every word of `q`: the staff search box and the API's q= alike."""
    if walking:
        rows = rows.alias(search_walk=_unindexed("search_text"))
    for word in search_words(q):
        rows = rows.filter(_word(word, walking=walking))
    return rows


# A word is first looked for among this many of the newest dossiers (all units together).
SEARCH_WINDOW = 2_000
NEWEST_FIRST = ("-received_at", "-id")


def newest_matching(rows, q: str, *, limit: int, offset: int = 0):
    """One page of `rows` matching `q`, newest first: the same rows as
    `matching(rows, q).order_by(*NEWEST_FIRST)[offset:offset + limit]`, found faster.

    On PostgreSQL a rare word is best found through the trigram index (a few rows to sort), a
    common one ("binh" is in 1 row in 12; "vu" has no trigram at all, so PostgreSQL scans) by
    walking the newest rows until the page is full: through the trigram index PostgreSQL reads
    and sorts every match (8,000 rows, 60-150 ms at 100,000 dossiers). Its planner cannot tell
    the two apart, because it misjudges how many rows the unit scope keeps. So the page is first
    looked for among the rows received since the SEARCH_WINDOW-th newest (a range of the
    `received_at` B-tree, filtered row by row, about 1 ms): when that fills the page, it is the
    page, because every other match is older than all of its rows. Otherwise (a rare word, a
    small unit's scope, a far page) the trigram index answers as before. A whole code, ID or
    phone number goes straight to its B-tree index, and on PostgreSQL a query its statistics
    say cannot fill the window straight to the trigram index.

    Tried and left out: a second window 8x longer costs 55-65 ms whenever it fails, as it does
    for every rare word; PostgreSQL then joins the window's rows with every pair of units."""
    plain = matching(rows, q).order_by(*NEWEST_FIRST)
    page = newest_window_page(rows, q, limit=limit, offset=offset)
    if page is None:
        return plain[offset : offset + limit]
    # The page's rows by primary key: joining all the window's rows to the page's columns before
    # cutting the page was 10x slower.
    return rows.filter(pk__in=page).order_by(*NEWEST_FIRST)


PLAN_ROWS = re.compile(r"rows=(\d+)")


def _expected_in_window(q: str) -> float:
    """How many of the SEARCH_WINDOW newest dossiers PostgreSQL expects to match `q` (all units
    together), from its own statistics of the column (EXPLAIN, nothing run): a full name or a
    rare word ("khanh": 12 rows estimated of 120,000, 0.2 in the window) goes straight to the
    trigram index instead of paying for a window it cannot fill. SQLite, which has no
    estimates, always tries the window."""
    if connection.vendor != "postgresql":
        return float("inf")
    everything = Dossier.objects.order_by()
    total = PLAN_ROWS.search(everything.explain())
    found = PLAN_ROWS.search(matching(everything, q).explain())
    if total is None or found is None:
        return float("inf")
    return int(found[1]) * SEARCH_WINDOW / max(int(total[1]), 1)


def newest_window_page(rows, q: str, *, limit: int, offset: int = 0) -> list[int] | None:
    """The primary keys of the page when the newest SEARCH_WINDOW dossiers fill it, else None
    (nothing to look for, a whole code or number, a page beyond the window, too few matches)."""
    words = search_words(q)
    if limit <= 0 or not words or any(_exact(w) for w in words) or offset + limit > SEARCH_WINDOW:
        return None
    if _expected_in_window(q) < offset + limit:
        return None
    by_time = Dossier.objects.order_by("-received_at").values_list("received_at", flat=True)
    edge = list(by_time[SEARCH_WINDOW - 1 : SEARCH_WINDOW])
    if not edge:  # fewer dossiers than the window: nothing to save
        return None
    page = list(
        matching(rows, q, walking=True)
        .filter(received_at__gte=edge[0])
        .order_by(*NEWEST_FIRST)
        .values_list("pk", flat=True)[offset : offset + limit]
    )
    return page if len(page) == limit else None


def timeline(dossier: Dossier):
    return dossier.actions.select_related("actor", "unit").order_by("seq")


def _day_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    start = datetime.combine(first, time.min, tzinfo=tz)
    end = datetime.combine(last + timedelta(days=1), time.min, tzinfo=tz)
    return start, end


def logbook(user, desk, first: date, last: date):
    """The desk's dossier logbook (Sổ theo dõi hồ sơ) for received dates first..last."""
    start, end = _day_bounds(first, last)
    return (
        _base(user)
        .filter(desk=desk, received_at__gte=start, received_at__lt=end)
        .order_by("received_at", "id")
    )


def logbook_wide(user, first: date, last: date, unit=None):
    """Every logbook in the user's subtree at once (an inspector's province-wide view): the
    dossiers received first..last at any desk of the subtree, or of `unit`'s subtree."""
    start, end = _day_bounds(first, last)
    rows = scope(_base(user), user, unit_field="desk__unit").filter(
        received_at__gte=start, received_at__lt=end
    )
    if unit is not None:
        rows = rows.filter(desk__unit__path__startswith=unit.path)
    return rows.select_related("desk__unit").order_by("received_at", "id")


def notices_for(user):
    """The staff member's own notices, newest first."""
    return (
        Notification.objects.filter(user=user)
        .select_related("dossier")
        .order_by("-created_at", "-id")
    )


def unread_notice_count(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def intake_slips(user, desk, first: date, last: date):
    from motcua.org.scoping import can_act_on

    if not can_act_on(user, desk.unit):
        return IntakeSlip.objects.none()
    start, end = _day_bounds(first, last)
    return IntakeSlip.objects.filter(desk=desk, at__gte=start, at__lt=end).order_by("at")
