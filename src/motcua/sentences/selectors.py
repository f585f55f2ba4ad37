"""Reads of sentence cases: every one starts from `access.cases_for` or a unit the caller may
count, never from Case.objects directly."""

from datetime import date, datetime, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from motcua.org.models import Unit
from motcua.sentences import access
from motcua.sentences.models import (
    Assessment,
    Case,
    CaseStatus,
    CheckIn,
    Kind,
    Task,
    TaskKind,
    Violation,
)
from motcua.worktime.core import VN_TZ


def unit_ids(root) -> list[int]:
    """The units of a subtree, so timers are read by commune id through their indexes."""
    return list(Unit.objects.filter(path__startswith=root.path).values_list("id", flat=True))


def open_tasks(user):
    """The commune's (or province's) 'Việc cần làm': open timers, soonest first."""
    root = access.reading_root(user)
    if root is None:
        return Task.objects.none()
    return (
        Task.objects.filter(commune_id__in=unit_ids(root), is_open=True)
        .select_related("case", "commune")
        .order_by("due_at", "id")
    )


def due_now(user, now=None):
    """Open tasks whose window has opened (or that have no window)."""
    now = now or timezone.now()
    return open_tasks(user).filter(Q(opens_at__isnull=True) | Q(opens_at__lte=now))


def month_start(day: date) -> date:
    return day.replace(day=1)


def _subtree_ids(root) -> list[int] | None:
    """The ids of `root`'s subtree, or None when no unit outside it can hold a case (the
    province: a list of ~500 ids only slows each count down). Its ancestors cannot: a case is
    kept by a commune police unit, which has no commune below it."""
    ancestors = [int(pk) for pk in root.path.strip("/").split("/") if pk]
    outside = Unit.objects.exclude(path__startswith=root.path).exclude(pk__in=ancestors)
    if not outside.exists():
        return None
    return unit_ids(root)


def dashboard(root, now=None) -> dict:
    """Counts only (no names): what an inspector may see, and the dashboards' figures. Each
    count is one index-only scan at a province's scale (see the Task indexes); the cases are
    counted in one pass."""
    now = now or timezone.now()
    today = now.astimezone(VN_TZ).date()
    month = month_start(today)
    prev = month_start(month - timedelta(days=1))
    year_start = datetime(today.year, 1, 1, tzinfo=VN_TZ)
    next_year = datetime(today.year + 1, 1, 1, tzinfo=VN_TZ)
    ids = _subtree_ids(root)
    in_tree = Q() if ids is None else Q(commune_id__in=ids)
    labels = dict(Kind.choices)
    cases = Case.objects.filter(in_tree)
    # COUNT(*) over (status, kind, commune) with completed_at included: index-only scans.
    by_kind = [
        (labels.get(row["kind"], row["kind"]), row["n"])
        for row in cases.filter(status=CaseStatus.SUPERVISING)
        .values("kind")
        .annotate(n=Count("*"))
        .order_by("kind")
    ]
    completed = cases.filter(
        status=CaseStatus.COMPLETED, completed_at__gte=year_start, completed_at__lt=next_year
    ).count()
    tasks = Task.objects.filter(in_tree)
    open_ = tasks.filter(is_open=True)
    # COUNT(*) and COUNT(done_at) (the non-null ones): not COUNT(id), as id is not in the
    # index and done_at is, so the scan stays index-only.
    done = {"total": Count("*"), "done": Count("done_at")}
    checkins = tasks.filter(kind=TaskKind.CHECKIN, period=month).aggregate(**done)
    assessed = tasks.filter(kind=TaskKind.ASSESSMENT, period=prev).aggregate(**done)
    # Every timer has a window (opens_at) today; the null branch is for rows made before that.
    due = open_.filter(overdue=False)
    return {
        "supervising": sum(n for _label, n in by_kind),
        "by_kind": by_kind,
        "due": due.filter(opens_at__lte=now).count() + due.filter(opens_at__isnull=True).count(),
        "overdue": open_.filter(overdue=True).count(),
        "month": month,
        "prev": prev,
        "checkins": checkins,
        "assessed": assessed,
        "violations": Violation.objects.filter(
            Q() if ids is None else Q(case__commune_id__in=ids), on__gte=month
        ).count(),
        "completed": completed,
    }


def monthly_rows(user, month: date):
    """One row per case supervised in `month`: the monthly list to the provincial agency."""
    cases = access.cases_for(user).filter(start_on__lt=_next(month), end_on__gte=month)
    checked = set(
        CheckIn.objects.filter(case__in=cases, at__date__gte=month, at__date__lt=_next(month))
        .values_list("case_id", flat=True)
        .distinct()
    )
    ratings = dict(
        Assessment.objects.filter(case__in=cases, period=month).values_list("case_id", "rating")
    )
    rating_labels = dict(Assessment._meta.get_field("rating").choices)
    # Only plain columns: the encrypted ones are not decrypted for a list that does not show them.
    listed = cases.select_related("commune").only(
        "code",
        "full_name",
        "birth_date",
        "kind",
        "start_on",
        "end_on",
        "commune__name",
    )
    for case in listed.order_by("commune__name", "code"):
        yield {
            "case": case,
            "checked_in": case.pk in checked,
            "rating": rating_labels.get(ratings.get(case.pk), ""),
        }


def _next(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1)
