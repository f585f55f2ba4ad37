"""Reads of dossiers. Every one starts from Dossier.objects.for_user(user): the unit subtree."""

import re
from datetime import date, datetime, time, timedelta
from time import monotonic

from django.db import connection
from django.db.models import Count, F, Q
from django.db.models.functions import Collate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.catalog.text import search_terms
from motcua.dossiers.models import DeadlineFlag, Dossier, IntakeSlip, Notification, Status
from motcua.org.scoping import scope, subtree_unit_ids

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
    page = newest_matching(_scoped(user), q, limit=limit, offset=offset, user=user, only_scope=True)
    return (
        Dossier.objects.select_related("procedure_version", "handling_unit", "handler")
        .only(*SEARCH_ROW)
        .filter(pk__in=page)
        .order_by(*NEWEST_FIRST)
    )


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
    """One page of the user's dossiers, newest first, filtered. The page's keys are found on the
    dossiers alone, then its rows read with their relations by key: one query joining the
    dossier, its version, procedure, units, handler and desk with the scope cost PostgreSQL 40 ms
    of planning alone at 120,000 dossiers (2 ms by key)."""
    rows = _scoped(user)
    if status:
        rows = rows.filter(status=status)
    if overdue is True:
        rows = rows.filter(deadline_flag=DeadlineFlag.OVERDUE)
    elif overdue is False:
        rows = rows.exclude(deadline_flag=DeadlineFlag.OVERDUE)
    if unit_code:
        rows = rows.filter(Q(handling_unit__code=unit_code) | Q(receiving_unit__code=unit_code))
    only_scope = not status and overdue is None and not unit_code
    page = newest_matching(rows, q, limit=limit, offset=offset, user=user, only_scope=only_scope)
    return _with_relations(Dossier.objects.filter(pk__in=page)).order_by(*NEWEST_FIRST)


def _with_relations(rows):
    return rows.select_related(
        "procedure_version",
        "procedure_version__procedure",
        "handling_unit",
        "receiving_unit",
        "handler",
        "desk",
    )


def _subtree_ids(user) -> list[int] | None:
    """scoping.subtree_unit_ids, looked up once per user object (one request)."""
    if user is None:
        return None
    cached = getattr(user, "_search_scope_units", False)
    if cached is False:
        cached = subtree_unit_ids(user)
        user._search_scope_units = cached
    return cached


def _scoped(user):
    """Dossier.objects.for_user(user), written with the ids of the user's units when it has them
    (see scoping.subtree_unit_ids): the same rows without the join to the units' paths."""
    ids = _subtree_ids(user)
    if ids is None:
        return Dossier.objects.for_user(user)
    return Dossier.objects.filter(Q(receiving_unit_id__in=ids) | Q(handling_unit_id__in=ids))


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


def newest_matching(
    rows, q: str, *, limit: int, offset: int = 0, user=None, only_scope: bool = False
) -> list[int]:
    """The primary keys of one page of `rows` matching `q`, newest first: the same rows as
    `matching(rows, q).order_by(*NEWEST_FIRST)[offset:offset + limit]`, found faster. The caller
    reads the page's columns by key (the keys come from `rows`, so they are the user's).
    `only_scope`: `rows` are the user's dossiers without any other filter.

    On PostgreSQL a rare word is best found through the trigram index (a few rows to sort), a
    common one ("binh" is in 1 row in 12; "vu" has no trigram at all, so PostgreSQL scans) by
    walking the newest rows until the page is full: through the trigram index PostgreSQL reads
    and sorts every match (8,000 rows, 60-150 ms at 100,000 dossiers). Its planner cannot tell
    the two apart, because it misjudges how many rows the unit scope keeps. So the page is first
    looked for among the rows received since the SEARCH_WINDOW-th newest (a range of the
    `received_at` B-tree, filtered row by row, about 1 ms): when that fills the page, it is the
    page, because every other match is older than all of its rows. Otherwise (a rare word, a
    far page) the trigram index answers as before. A whole code, ID or
    phone number goes straight to its B-tree index, and on PostgreSQL a query its statistics
    say cannot fill the window straight to the trigram index.

    When `user` works in a small subtree (a commune: a few units of many), the window is the
    SEARCH_WINDOW newest dossiers *of its units*, walked on the (unit, received_at) indexes: a
    commune holding 1 dossier in 6, or 1 in 130, finds its common words as fast as the biggest.

    Tried and left out: a second window 8x longer costs 55-65 ms whenever it fails, as it does
    for every rare word; PostgreSQL then joins the window's rows with every pair of units."""
    words = search_words(q)
    looked_up = user is not None and words and not any(_exact(w) for w in words)
    units = scope_unit_ids(user) if looked_up else None
    page = newest_window_page(
        rows, q, limit=limit, offset=offset, units=units, only_scope=only_scope
    )
    if page is None:
        plain = matching(rows, q).order_by(*NEWEST_FIRST).values_list("pk", flat=True)
        return list(plain[offset : offset + limit])
    return page


PLAN_ROWS = re.compile(r"rows=(\d+)")

# PostgreSQL's estimates, remembered per process for a minute: they change with ANALYZE, not
# with each dossier, and asking (ORM building, EXPLAIN, a round trip each) cost a search more
# than some of its statements. key -> (when, rows or None).
ESTIMATE_SECONDS = 60
_estimates: dict[tuple, tuple[float, int | None]] = {}


def forget_estimates() -> None:
    """Ask PostgreSQL again next time (tests, after they ANALYZE new rows)."""
    _estimates.clear()


def _estimate(key: tuple, rows) -> int | None:
    now = monotonic()
    known = _estimates.get(key)
    if known is not None and now - known[0] < ESTIMATE_SECONDS:
        return known[1]
    found = PLAN_ROWS.search(rows.order_by().explain())
    value = int(found[1]) if found else None
    if len(_estimates) >= 10_000:  # many distinct words: start again rather than grow
        _estimates.clear()
    _estimates[key] = (now, value)
    return value


def _expected_in_window(q: str) -> float:
    """How many of the SEARCH_WINDOW newest dossiers PostgreSQL expects to match `q` (all units
    together), from its own statistics of the column (EXPLAIN, nothing run): a full name or a
    rare word ("khanh": 12 rows estimated of 120,000, 0.2 in the window) goes straight to the
    trigram index instead of paying for a window it cannot fill. SQLite, which has no
    estimates, always tries the window."""
    if connection.vendor != "postgresql":
        return float("inf")
    everything = Dossier.objects.all()
    total = _estimate(("all",), everything)
    found = _estimate(("words", *search_words(q)), matching(everything, q))
    if total is None or found is None:
        return float("inf")
    return found * SEARCH_WINDOW / max(total, 1)


# A caller whose subtree holds at most this many units gets a window of its own units' dossiers
# (one short index walk per unit and side); a wider one (a province) the window of all units.
SCOPE_WINDOW_UNITS = 20


def scope_unit_ids(user) -> list[int] | None:
    """The ids of the units in the user's subtree when it is small enough for a window of its
    own (SCOPE_WINDOW_UNITS), else None. One query, remembered on the user (one request)."""
    ids = _subtree_ids(user)
    return ids if ids is not None and len(ids) <= SCOPE_WINDOW_UNITS else None


def _all_units_window_suffices(expected: float, units: list[int], needed: int) -> bool:
    """True when PostgreSQL's statistics say the window of all units holds twice the page among
    `units`' dossiers (`expected`: its matches, all units together), as for a commune holding
    most dossiers: that window's edge is one step of the received_at index, cheaper than walking
    each unit's. SQLite (no estimates) takes the units' own window."""
    if connection.vendor != "postgresql":
        return False
    everything = Dossier.objects.all()
    theirs = everything.filter(Q(receiving_unit_id__in=units) | Q(handling_unit_id__in=units))
    total = _estimate(("all",), everything)
    found = _estimate(("units", *units), theirs)
    if total is None or found is None:
        return False
    share = found / max(total, 1)
    return expected * share >= 2 * needed


def _window_edge(units: list[int] | None):
    """The received time of the SEARCH_WINDOW-th newest dossier, of all units or of `units`
    (received or handled there), or None when there are fewer. Any edge keeps the page exact
    (see newest_window_page); a good one keeps the window small and full of the caller's rows."""
    if units is None:
        by_time = Dossier.objects.order_by("-received_at").values_list("received_at", flat=True)
        edge = list(by_time[SEARCH_WINDOW - 1 : SEARCH_WINDOW])
        return edge[0] if edge else None
    if not units:
        return None
    if connection.vendor != "postgresql":
        by_time = (
            Dossier.objects.filter(Q(receiving_unit_id__in=units) | Q(handling_unit_id__in=units))
            .order_by("-received_at")
            .values_list("received_at", flat=True)
        )
        edge = list(by_time[SEARCH_WINDOW - 1 : SEARCH_WINDOW])
        return edge[0] if edge else None
    # Each unit's newest, received and handled, walked backwards on its (unit, received_at)
    # index and stopped after SEARCH_WINDOW rows; UNION drops a dossier met on both sides.
    # Written `= ANY(ARRAY[id])` and ordered by the unit too, so that only that index gives the
    # order: with `= id` PostgreSQL, taking a commune's rows for spread evenly over time, walks
    # the received_at index of every unit instead (measured 15 ms, 4,900 pages, against 1.6 ms
    # and 373 pages for a commune of 20,000 in 120,000).
    table = Dossier._meta.db_table
    part = (
        f"(SELECT id, received_at FROM {table} WHERE {{column}} = ANY(ARRAY[%s]::bigint[]) "  # noqa: S608 - names only
        f"ORDER BY {{column}} DESC, received_at DESC LIMIT {SEARCH_WINDOW:d})"
    )
    parts, params = [], []
    for unit_id in units:
        for column in ("receiving_unit_id", "handling_unit_id"):
            parts.append(part.format(column=column))
            params.append(unit_id)
    sql = (
        f"SELECT received_at FROM ({' UNION '.join(parts)}) AS newest "  # noqa: S608 - names only
        f"ORDER BY received_at DESC OFFSET {SEARCH_WINDOW - 1:d} LIMIT 1"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchone()
    return found[0] if found else None


def newest_window_page(
    rows,
    q: str,
    *,
    limit: int,
    offset: int = 0,
    units: list[int] | None = None,
    only_scope: bool = False,
) -> list[int] | None:
    """The primary keys of the page when the newest SEARCH_WINDOW dossiers fill it, else None
    (nothing to look for, a whole code or number, a page beyond the window, too few matches).
    `units` (the caller's units, see scope_unit_ids) makes it the newest of those units only,
    unless the window of all units holds enough of theirs (a commune holding most dossiers).
    `only_scope`: `rows` are exactly the dossiers of `units` (no status or other filter).

    The page is exact whatever the edge: when the rows received at or after it fill the page,
    every other match is older than all of them."""
    words = search_words(q)
    if limit <= 0 or not words or any(_exact(w) for w in words) or offset + limit > SEARCH_WINDOW:
        return None
    expected = _expected_in_window(q)
    if expected < offset + limit:
        return None
    if units is not None and _all_units_window_suffices(expected, units, offset + limit):
        units = None
    edge = _window_edge(units)
    if edge is None:  # fewer dossiers than the window: nothing to save
        return None
    window = matching(rows, q, walking=True).filter(received_at__gte=edge)
    if units is not None:
        # The units' newest matches first, on the (unit, received_at) indexes and without the
        # scope's join to the units' paths, for which PostgreSQL, expecting a handful of rows,
        # tried each match against every pair of units (4 of 10 ms with 33 units, growing with
        # their square). `rows` holds only dossiers of `units`: when it holds all of these,
        # they are its page too.
        theirs = Q(receiving_unit_id__in=units) | Q(handling_unit_id__in=units)
        newest = list(
            matching(Dossier.objects.all(), q, walking=True)
            .filter(theirs, received_at__gte=edge)
            .order_by(*NEWEST_FIRST)
            .values_list("pk", flat=True)[: offset + limit]
        )
        if len(newest) < offset + limit:
            return None
        if only_scope or rows.filter(pk__in=newest).count() == len(newest):
            return newest[offset:]
        # Another filter (a status...) left some out: the window through `rows`, the units'
        # ids redundant with the scope but read from the same indexes.
        window = window.filter(theirs)
    page = list(
        window.order_by(*NEWEST_FIRST).values_list("pk", flat=True)[offset : offset + limit]
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
