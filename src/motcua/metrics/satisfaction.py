"""The satisfaction group's facts, from the citizens' ratings and their feedback (PAKN).

metrics listens to the rows those apps write (Django pre_save/post_save on `ratings.Rating` and
`feedback.Feedback`; the arrows point down, nothing there imports metrics) and adds each row's
facts to the daily facts in the row's own transaction. A row's facts are a pure function of the
row (`rating_facts`, `feedback_facts`): on every save the facts of the row as it was are taken
away and those of the row as it is now are added, so a corrected rating or a feedback moving
from step to step always leaves exactly its current facts counted. `rebuild` recomputes the same
facts set-based (GROUP BY over the two tables) for `metrics-rebuild`.

Facts (unit, day):
- `rated`: a rating given, for the dossier's handling unit, on the day it was given.
- `rated_dislike`: of those, ratings below DISLIKE_BELOW. [decision] A "not satisfied" rating
  (domain spec section 6: "dossiers with complaints or dislikes") is a total under 9 of the 18
  points of the nine indices (section 5), i.e. below the "Khá" band (9–<12): the citizen gave
  less than half the points. The day stays the rating's first day even when it is corrected.
- `complained`: a feedback about a dossier (subject "dossier"), for the unit answering it (the
  dossier's handling unit), on the day it was filed. [decision] Counted per feedback: two
  complaints about one dossier count twice, and a dossier both complained about and disliked
  counts in both; the formula clamps the numerator at 0.
- `feedback_due`: feedback handled (answered, or rightly refused) in the period, on the day of
  the answer (or of the refusal when never answered); `feedback_on_time`: those handled within
  their due (`Feedback.handled_on_time`). [decision, a gap] Feedback still open and past its due
  at the end of a period is not yet counted in `feedback_due`: it counts when it is handled.
- `feedback_rated` / `feedback_satisfied`: answers the citizen judged, and those liked, on the
  day of the judgement (`rated_at`).
"""

from collections import Counter
from datetime import date

from django.db.models import Count, Q
from django.db.models.functions import TruncDate

from motcua.metrics.facts import day_start, facts_add, local_day
from motcua.worktime.core import VN_TZ

DISLIKE_BELOW = 9  # of criteria.MAX_TOTAL (18)

RATING_CODES = ("rated", "rated_dislike")
FEEDBACK_CODES = (
    "complained",
    "feedback_due",
    "feedback_on_time",
    "feedback_rated",
    "feedback_satisfied",
)
CODES = RATING_CODES + FEEDBACK_CODES


def rating_facts(rating) -> list[tuple[int, date, str]]:
    unit_id = rating.dossier.handling_unit_id
    day = local_day(rating.created_at)
    rows = [(unit_id, day, "rated")]
    if rating.total < DISLIKE_BELOW:
        rows.append((unit_id, day, "rated_dislike"))
    return rows


def _handled_at(fb):
    if fb.answered_on_time is not None and fb.answered_at is not None:
        return fb.answered_at, fb.answered_on_time
    if fb.rejected_on_time is not None and fb.rejected_at is not None:
        return fb.rejected_at, fb.rejected_on_time
    return None, None


def feedback_facts(fb) -> list[tuple[int, date, str]]:
    unit_id = fb.unit_id
    rows = []
    if fb.subject == "dossier" and fb.dossier_id:
        rows.append((unit_id, local_day(fb.filed_at), "complained"))
    handled_at, on_time = _handled_at(fb)
    if handled_at is not None:
        rows.append((unit_id, local_day(handled_at), "feedback_due"))
        if on_time:
            rows.append((unit_id, local_day(handled_at), "feedback_on_time"))
    if fb.satisfied is not None and fb.rated_at is not None:
        rows.append((unit_id, local_day(fb.rated_at), "feedback_rated"))
        if fb.satisfied:
            rows.append((unit_id, local_day(fb.rated_at), "feedback_satisfied"))
    return rows


def _delta(before, after) -> None:
    change = Counter(after)
    change.subtract(Counter(before))
    facts_add([(u, d, c, n) for (u, d, c), n in sorted(change.items()) if n])


# ---------------------------------------------------------------- counting at event time


def _before(model, instance, facts, *related):
    if instance.pk is None:
        return []
    old = model.objects.filter(pk=instance.pk).select_related(*related).first()
    return facts(old) if old is not None else []


def rating_pre_save(sender, instance, raw=False, **kwargs):
    if not raw:
        instance._metrics_before = _before(sender, instance, rating_facts, "dossier")


def rating_post_save(sender, instance, raw=False, **kwargs):
    if not raw:
        _delta(getattr(instance, "_metrics_before", []), rating_facts(instance))
        instance._metrics_before = rating_facts(instance)


def feedback_pre_save(sender, instance, raw=False, **kwargs):
    if not raw:
        instance._metrics_before = _before(sender, instance, feedback_facts)


def feedback_post_save(sender, instance, raw=False, **kwargs):
    if not raw:
        _delta(getattr(instance, "_metrics_before", []), feedback_facts(instance))
        instance._metrics_before = feedback_facts(instance)


def connect() -> None:
    """Registers the sources of the apps installed and listens to their rows."""
    from django.apps import apps
    from django.db.models.signals import post_save, pre_save

    from motcua.metrics import sources

    if apps.is_installed("motcua.ratings"):
        from motcua.ratings.models import Rating

        pre_save.connect(rating_pre_save, sender=Rating, dispatch_uid="metrics.rating_pre")
        post_save.connect(rating_post_save, sender=Rating, dispatch_uid="metrics.rating_post")
        sources.register("ratings")
    if apps.is_installed("motcua.feedback"):
        from motcua.feedback.models import Feedback

        pre_save.connect(feedback_pre_save, sender=Feedback, dispatch_uid="metrics.fb_pre")
        post_save.connect(feedback_post_save, sender=Feedback, dispatch_uid="metrics.fb_post")
        sources.register("feedback")


# ---------------------------------------------------------------- rebuild (set-based)


def _counts(qs, unit_field: str, field: str, start: date, end: date, counts: dict[str, Q]):
    """(unit, day, code, n) rows: `qs` grouped by unit and the Vietnamese day of `field`."""
    from datetime import timedelta

    qs = qs.filter(
        **{f"{field}__gte": day_start(start), f"{field}__lt": day_start(end + timedelta(days=1))}
    )
    grouped = (
        qs.annotate(m_day=TruncDate(field, tzinfo=VN_TZ))
        .order_by()
        .values(unit_field, "m_day")
        .annotate(**{f"n_{code}": Count("pk", filter=q) for code, q in counts.items()})
    )
    rows = []
    for row in grouped:
        for code in counts:
            if row[f"n_{code}"]:
                rows.append((row[unit_field], row["m_day"], code, row[f"n_{code}"]))
    return rows


def rebuild(start: date, end: date) -> int:
    """Writes the satisfaction facts of [start, end] from the ratings and feedback (the caller
    has deleted the old ones). Returns the rows written."""
    from django.apps import apps

    rows = []
    if apps.is_installed("motcua.ratings"):
        from motcua.ratings.models import Rating

        rows += _counts(
            Rating.objects.all(),
            "dossier__handling_unit_id",
            "created_at",
            start,
            end,
            {"rated": Q(), "rated_dislike": Q(total__lt=DISLIKE_BELOW)},
        )
    if apps.is_installed("motcua.feedback"):
        from motcua.feedback.models import Feedback

        fb = Feedback.objects.all()
        rows += _counts(
            fb,
            "unit_id",
            "filed_at",
            start,
            end,
            {"complained": Q(subject="dossier", dossier__isnull=False)},
        )
        answered = Q(answered_on_time__isnull=False, answered_at__isnull=False)
        rows += _counts(
            fb.filter(answered),
            "unit_id",
            "answered_at",
            start,
            end,
            {"feedback_due": Q(), "feedback_on_time": Q(answered_on_time=True)},
        )
        rows += _counts(
            fb.exclude(answered).filter(rejected_on_time__isnull=False, rejected_at__isnull=False),
            "unit_id",
            "rejected_at",
            start,
            end,
            {"feedback_due": Q(), "feedback_on_time": Q(rejected_on_time=True)},
        )
        rows += _counts(
            fb.filter(satisfied__isnull=False),
            "unit_id",
            "rated_at",
            start,
            end,
            {"feedback_rated": Q(), "feedback_satisfied": Q(satisfied=True)},
        )
    facts_add(rows)
    return len(rows)
