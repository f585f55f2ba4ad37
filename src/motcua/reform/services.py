"""The yearly cycle, as use cases. Each checks who may act, changes nothing on bad input,
writes one row of the cycle's action log and one audit record in the same transaction."""

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from django.db import transaction
from django.utils import timezone

from motcua.audit.services import audit_record
from motcua.dossiers.uploads import UploadRejected, as_django_file, check_upload
from motcua.org.scoping import can_act_on
from motcua.reform import scoring
from motcua.reform.models import (
    Action,
    AppraisalState,
    Assessment,
    Criterion,
    Cycle,
    CycleStatus,
    Evidence,
    Method,
    Participation,
    ParticipationStatus,
    Result,
    Template,
)
from motcua.reform.templates_data import parse_levels
from motcua.worktime.services import due_at

MANAGE, APPRAISE, ASSESS, LOCK = "reform.manage", "reform.appraise", "reform.assess", "reform.lock"
MAX_DAYS = 365


class ReformError(Exception):
    """Bad input or a step out of turn: the message is for the user, in Vietnamese."""


class ReformRefused(ReformError):
    """The actor may not do this."""


def _log(*, actor, cycle, verb, participation=None, obj=None, detail=None):
    detail = detail or {}
    Action.objects.create(
        cycle=cycle, participation=participation, actor=actor, verb=verb, detail=detail
    )
    audit_record(
        actor=actor, action=f"reform.{verb}", obj=obj or participation or cycle, changes=detail
    )


def _not_published(cycle: Cycle) -> None:
    # Read from the database: a page's cycle object may predate its publication.
    if Cycle.objects.filter(pk=cycle.pk).values_list("status", flat=True).get() != "open":
        raise ReformError(
            "Kết quả năm này đã công bố: không ai được sửa nữa. Muốn đính chính, hãy lập một "
            "lần đính chính có lý do."
        )


def _require(actor, capability: str, unit=None) -> None:
    if not actor.can(capability) or (unit is not None and not can_act_on(actor, unit)):
        raise ReformRefused("Bạn không có quyền thực hiện việc này với đơn vị này.")


def _days(value, what: str) -> int:
    try:
        days = int(value)
    except (TypeError, ValueError):
        raise ReformError(f"{what} phải là số ngày làm việc (số nguyên).")
    if not 1 <= days <= MAX_DAYS:
        raise ReformError(f"{what} phải từ 1 đến {MAX_DAYS} ngày làm việc.")
    return days


def _decimal(value, what: str) -> Decimal:
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise ReformError(f"{what}: '{value}' không phải là số.")
    if not number.is_finite():
        raise ReformError(f"{what}: '{value}' không phải là số.")
    if abs(number) >= 100000:
        raise ReformError(f"{what}: '{value}' quá lớn.")
    if number != number.quantize(scoring.CENT):
        raise ReformError(f"{what}: chỉ được tối đa hai chữ số thập phân.")
    return number.quantize(scoring.CENT)


# ---------------------------------------------------------------- opening a year


def cycle_open(
    *, actor, year: int, units, self_days, appraisal_days, publish_days, at: datetime | None = None
) -> Cycle:
    """The reform office opens year N for `units`, with deadlines counted in working days of
    its own calendar: self-assessment due, then appraisal due, then publication due."""
    _require(actor, MANAGE)
    at = at or timezone.now()
    units = list(units)
    if not units:
        raise ReformError("Hãy chọn ít nhất một đơn vị.")
    for unit in units:
        if not can_act_on(actor, unit):
            raise ReformRefused(f"Đơn vị {unit} không thuộc phạm vi quản lý của bạn.")
    days = [
        _days(self_days, "Hạn tự đánh giá"),
        _days(appraisal_days, "Hạn thẩm định"),
        _days(publish_days, "Hạn công bố"),
    ]
    templates = {t.kind: t for t in Template.objects.filter(year=year)}
    missing = sorted({u.get_kind_display() for u in units if u.kind not in templates})
    if missing:
        raise ReformError(f"Chưa có bộ tiêu chí năm {year} cho: {', '.join(missing)}.")
    if Cycle.objects.filter(year=year).exists():
        raise ReformError(f"Năm {year} đã được mở đánh giá.")
    with transaction.atomic():
        owner = actor.unit
        self_due = due_at(unit=owner, start=at, duration=f"{days[0]}d")
        appraisal_due = due_at(unit=owner, start=self_due, duration=f"{days[1]}d")
        publish_due = due_at(unit=owner, start=appraisal_due, duration=f"{days[2]}d")
        cycle = Cycle.objects.create(
            year=year,
            owner_unit=owner,
            opened_by=actor,
            opened_at=at,
            self_due=self_due,
            appraisal_due=appraisal_due,
            publish_due=publish_due,
        )
        leaves = {
            kind: list(
                Criterion.objects.filter(template=t, children__isnull=True).values_list(
                    "pk", flat=True
                )
            )
            for kind, t in templates.items()
        }
        for unit in units:
            p = Participation.objects.create(cycle=cycle, unit=unit, template=templates[unit.kind])
            Assessment.objects.bulk_create(
                Assessment(participation=p, criterion_id=c) for c in leaves[unit.kind]
            )
        _log(
            actor=actor,
            cycle=cycle,
            verb="cycle.open",
            detail={"year": year, "units": [u.code for u in units], "days": days},
        )
    return cycle


# ---------------------------------------------------------------- self-assessment


def _check_files(files) -> list:
    checked = []
    for name, content in files or ():
        try:
            checked.append(check_upload(name, content))
        except UploadRejected as error:
            raise ReformError(str(error))
    return checked


def _attach(actor, assessment, checked) -> None:
    for f in checked:
        Evidence.objects.create(
            assessment=assessment,
            file=as_django_file(f),
            name=f.name,
            content_type=f.content_type,
            size=len(f.content),
            sha256=f.sha256,
            uploaded_by=actor,
        )


def _own_staff(actor, participation, capability=ASSESS) -> None:
    if not actor.can(capability) or actor.unit_id != participation.unit_id:
        raise ReformRefused("Chỉ cán bộ của đơn vị được tự đánh giá.")


def assessment_save(
    *,
    actor,
    assessment: Assessment,
    value=None,
    not_applicable=False,
    citation: str = "",
    explanation: str = "",
    files=(),
) -> Assessment:
    """A unit scores one criterion: points (events for a deduction) or "not applicable", with
    evidence files and/or a citation (document number, page), or an explanation."""
    participation = assessment.participation
    _own_staff(actor, participation)
    _not_published(participation.cycle)
    if participation.status != ParticipationStatus.DRAFT:
        raise ReformError("Bản tự đánh giá đã khóa: chỉ hội đồng thẩm định được thay đổi điểm.")
    criterion = assessment.criterion
    if criterion.method in (Method.AUTOMATIC, Method.SURVEY):
        raise ReformError("Tiêu chí này được chấm tự động, đơn vị không nhập điểm.")
    citation, explanation = (citation or "").strip()[:255], (explanation or "").strip()
    points = None
    if not_applicable:
        if not criterion.na_allowed:
            raise ReformError(f"Tiêu chí {criterion.code} không được đánh giá là không áp dụng.")
        if not explanation:
            raise ReformError("Hãy giải trình vì sao tiêu chí không áp dụng với đơn vị.")
        value = None
    else:
        if value is None or str(value).strip() == "":
            raise ReformError(f"Tiêu chí {criterion.code}: hãy nhập điểm tự chấm.")
        value = _decimal(value, f"Tiêu chí {criterion.code}")
        points = _check_value(criterion, value)
    checked = _check_files(files)
    if not not_applicable and not (
        citation or explanation or checked or assessment.evidence.exists()
    ):
        raise ReformError(
            "Mỗi điểm cần tài liệu kiểm chứng (tệp hoặc số văn bản, trang) hoặc lời giải trình."
        )
    with transaction.atomic():
        assessment.not_applicable = not_applicable
        assessment.self_value = value
        assessment.self_points = points
        assessment.citation = citation
        assessment.explanation = explanation
        assessment.save()
        _attach(actor, assessment, checked)
        _log(
            actor=actor,
            cycle=participation.cycle,
            participation=participation,
            verb="self.score",
            obj=assessment,
            detail={
                "criterion": criterion.code,
                "value": str(value) if value is not None else None,
                "points": str(points) if points is not None else None,
                "not_applicable": not_applicable,
                "files": [f.name for f in checked],
            },
        )
    return assessment


def _check_value(criterion, value: Decimal) -> Decimal:
    code = criterion.code
    if value < 0:
        raise ReformError(f"Tiêu chí {code}: điểm không được âm.")
    if criterion.method == Method.DEDUCTION:
        if value != value.to_integral_value():
            raise ReformError(f"Tiêu chí {code}: số lần vi phạm phải là số nguyên.")
        return scoring.self_points(criterion, value)
    if value > criterion.max_points:
        raise ReformError(
            f"Tiêu chí {code}: điểm {scoring.show(value)} vượt điểm tối đa "
            f"{scoring.show(criterion.max_points)}."
        )
    if criterion.method == Method.FULL_OR_ZERO and value not in (0, criterion.max_points):
        raise ReformError(
            f"Tiêu chí {code}: chỉ chấm 0 hoặc đủ {scoring.show(criterion.max_points)} điểm."
        )
    if criterion.method == Method.GRADED:
        allowed = {
            scoring.q2(criterion.max_points * lv / 100) for lv in parse_levels(criterion.levels)
        }
        if value not in allowed:
            shown = "; ".join(scoring.show(a) for a in sorted(allowed, reverse=True))
            raise ReformError(f"Tiêu chí {code}: chỉ chấm theo các mức {shown} điểm.")
    return value


def evidence_add(
    *, actor, assessment: Assessment, files=(), citation: str = "", explanation: str = ""
) -> Assessment:
    """The unit adds evidence: while self-assessing, or when the council asked for more (the
    criterion then goes back to the council's queue)."""
    participation = assessment.participation
    _own_staff(actor, participation)
    _not_published(participation.cycle)
    asked = assessment.appraisal_state == AppraisalState.EVIDENCE_REQUESTED
    if participation.status != ParticipationStatus.DRAFT and not asked:
        raise ReformError("Hội đồng không yêu cầu bổ sung tài liệu cho tiêu chí này.")
    checked = _check_files(files)
    citation, explanation = (citation or "").strip()[:255], (explanation or "").strip()
    if not (checked or citation or explanation):
        raise ReformError("Hãy đính kèm tệp, ghi số văn bản hoặc lời giải trình.")
    with transaction.atomic():
        if citation:
            assessment.citation = citation
        if explanation:
            assessment.explanation = explanation
        if asked:
            assessment.appraisal_state = AppraisalState.PENDING
        assessment.save()
        _attach(actor, assessment, checked)
        _log(
            actor=actor,
            cycle=participation.cycle,
            participation=participation,
            verb="self.evidence",
            obj=assessment,
            detail={"criterion": assessment.criterion.code, "files": [f.name for f in checked]},
        )
    return assessment


def _automatic_rates(year: int, at: date | None = None):
    """The live service index of the whole year, read once (metrics.scores)."""
    from motcua.metrics.scores import index_report

    end = date(year, 12, 31)
    if at is not None and at < end:
        end = max(at, date(year, 1, 1))
    return index_report(date(year, 1, 1), end)


def _fill_automatic(participation, report) -> None:
    for a in participation.assessments.select_related("criterion").filter(
        criterion__method=Method.AUTOMATIC
    ):
        c = a.criterion
        result = report.results.get(participation.unit_id) if report else None
        indicator = None
        if result is not None:
            indicator = next(
                (i for g in result.groups for i in g.indicators if i.code == c.indicator), None
            )
        if indicator is None or indicator.rate is None:
            a.not_applicable, a.self_points = True, None
            a.explanation = "Chỉ số phục vụ chưa có số liệu của đơn vị: không tính vào điểm tối đa."
        else:
            a.not_applicable = False
            a.self_points = scoring.rate_points(indicator.rate, c.max_points, c.threshold_pct)
            a.explanation = (
                f"Tự động từ chỉ số phục vụ: {indicator.numerator}/{indicator.denominator} "
                f"= {scoring.q2(indicator.rate * 100)}% (ngưỡng {c.threshold_pct}%)."
            )
        a.save()


def participation_lock(*, actor, participation: Participation) -> Participation:
    """The unit's leader approves and locks the self-assessment; the automatic criteria are
    filled from the live service index at that moment."""
    _own_staff(actor, participation, LOCK)
    _not_published(participation.cycle)
    if participation.status != ParticipationStatus.DRAFT:
        raise ReformError("Bản tự đánh giá đã khóa.")
    empty = [
        a.criterion.code
        for a in participation.assessments.select_related("criterion")
        if a.criterion.method not in (Method.AUTOMATIC, Method.SURVEY)
        and a.self_points is None
        and not a.not_applicable
    ]
    if empty:
        raise ReformError("Còn tiêu chí chưa tự chấm: " + ", ".join(empty) + ".")
    report = _automatic_rates(participation.cycle.year, timezone.localdate())
    with transaction.atomic():
        _fill_automatic(participation, report)
        participation.status = ParticipationStatus.LOCKED
        participation.locked_at = timezone.now()
        participation.save()
        _log(
            actor=actor,
            cycle=participation.cycle,
            participation=participation,
            verb="self.lock",
            detail={"unit": participation.unit.code},
        )
    return participation


def survey_record(
    *, actor, participation: Participation, respondents, satisfied_pct
) -> Participation:
    """The survey result of one unit (e.g. from VNeID): the survey criteria get their points by
    the template's rule (satisfied % against the criterion's threshold)."""
    _require(actor, MANAGE, participation.unit)
    _not_published(participation.cycle)
    if participation.status == ParticipationStatus.CLOSED:
        raise ReformError("Đơn vị đã được thẩm định xong; không nhập lại kết quả khảo sát.")
    try:
        n = int(str(respondents).strip())
    except ValueError:
        raise ReformError(f"Số người trả lời '{respondents}' phải là số nguyên.")
    if n < 1:
        raise ReformError("Số người trả lời phải lớn hơn 0.")
    share = _decimal(satisfied_pct, "Tỷ lệ hài lòng")
    if not 0 <= share <= 100:
        raise ReformError("Tỷ lệ hài lòng phải từ 0 đến 100%.")
    with transaction.atomic():
        participation.survey_respondents, participation.survey_satisfied_pct = n, share
        participation.save()
        for a in participation.assessments.select_related("criterion").filter(
            criterion__method=Method.SURVEY
        ):
            c = a.criterion
            a.self_points = scoring.rate_points(
                Fraction(share) / 100, c.max_points, c.threshold_pct
            )
            a.explanation = f"Khảo sát {n} người, {share}% hài lòng (ngưỡng {c.threshold_pct}%)."
            a.save()
        _log(
            actor=actor,
            cycle=participation.cycle,
            participation=participation,
            verb="survey.record",
            detail={"respondents": n, "satisfied_pct": str(share)},
        )
    return participation


# ---------------------------------------------------------------- appraisal


def _council(actor, participation) -> None:
    _require(actor, APPRAISE, participation.unit)
    _not_published(participation.cycle)
    if participation.status != ParticipationStatus.LOCKED:
        raise ReformError("Chỉ thẩm định bản tự đánh giá đã khóa và chưa kết thúc thẩm định.")


def assessment_appraise(
    *, actor, assessment: Assessment, decision: str, points=None, reason: str = ""
) -> Assessment:
    """The council accepts the unit's score or adjusts it (with a reason)."""
    participation = assessment.participation
    _council(actor, participation)
    c = assessment.criterion
    reason = (reason or "").strip()
    if decision == "accept":
        new = assessment.self_points
        state = AppraisalState.ACCEPTED
    elif decision == "adjust":
        if not reason:
            raise ReformError("Điều chỉnh điểm phải ghi lý do.")
        if assessment.not_applicable:
            raise ReformError(f"Tiêu chí {c.code} không áp dụng với đơn vị: không có điểm.")
        new = _decimal(points, f"Tiêu chí {c.code}")
        if new < 0:
            raise ReformError(f"Tiêu chí {c.code}: điểm không được âm.")
        if new > c.max_points:
            raise ReformError(
                f"Tiêu chí {c.code}: điểm {scoring.show(new)} vượt điểm tối đa "
                f"{scoring.show(c.max_points)}."
            )
        state = AppraisalState.ADJUSTED
    else:
        raise ReformError("Hãy chọn chấp nhận hoặc điều chỉnh.")
    with transaction.atomic():
        old = assessment.points
        assessment.appraised_points = new
        assessment.appraisal_state = state
        assessment.appraisal_reason = reason
        assessment.evidence_due = None
        assessment.save()
        _log(
            actor=actor,
            cycle=participation.cycle,
            participation=participation,
            verb=f"appraise.{decision}",
            obj=assessment,
            detail={"criterion": c.code, "from": str(old), "to": str(new), "reason": reason},
        )
    return assessment


def evidence_request(*, actor, assessment: Assessment, reason: str, days) -> Assessment:
    participation = assessment.participation
    _council(actor, participation)
    reason = (reason or "").strip()
    if not reason:
        raise ReformError("Hãy ghi rõ tài liệu cần bổ sung.")
    n = _days(days, "Hạn bổ sung")
    with transaction.atomic():
        assessment.appraisal_state = AppraisalState.EVIDENCE_REQUESTED
        assessment.appraisal_reason = reason
        assessment.evidence_due = due_at(
            unit=participation.cycle.owner_unit, start=timezone.now(), duration=f"{n}d"
        )
        assessment.save()
        _log(
            actor=actor,
            cycle=participation.cycle,
            participation=participation,
            verb="appraise.ask",
            obj=assessment,
            detail={"criterion": assessment.criterion.code, "reason": reason, "days": n},
        )
    return assessment


def appraisal_close(*, actor, participation: Participation) -> Participation:
    _council(actor, participation)
    open_rows = [
        a.criterion.code
        for a in participation.assessments.select_related("criterion")
        if a.appraisal_state in (AppraisalState.PENDING, AppraisalState.EVIDENCE_REQUESTED)
    ]
    if open_rows:
        raise ReformError("Còn tiêu chí chưa thẩm định xong: " + ", ".join(open_rows) + ".")
    with transaction.atomic():
        participation.status = ParticipationStatus.CLOSED
        participation.closed_at = timezone.now()
        participation.save()
        _log(
            actor=actor,
            cycle=participation.cycle,
            participation=participation,
            verb="appraise.close",
            detail={"unit": participation.unit.code},
        )
    return participation


# ---------------------------------------------------------------- results and publication


def results_compute(cycle: Cycle) -> list[scoring.UnitScore]:
    """Every unit's index, band, rank and change per field from last year's published results,
    from four set-based queries."""
    parts = {
        p["pk"]: p
        for p in Participation.objects.filter(cycle=cycle).values("pk", "unit_id", "unit__kind")
    }
    templates = Participation.objects.filter(cycle=cycle).values("template_id").distinct()
    criteria = {}
    rows = Criterion.objects.filter(template__in=templates).values(
        "pk", "parent_id", "code", "text", "method", "max_points"
    )
    nodes = {r["pk"]: r for r in rows}
    for r in nodes.values():
        root = r
        while root["parent_id"]:
            root = nodes[root["parent_id"]]
        criteria[r["pk"]] = (root["code"], root["text"], r["method"], r["max_points"])
    per_part: dict[int, list] = {pk: [] for pk in parts}
    for pid, cid, na, self_pts, appraised in (
        Assessment.objects.filter(participation__cycle=cycle)
        .values_list(
            "participation_id", "criterion_id", "not_applicable", "self_points", "appraised_points"
        )
        .iterator(chunk_size=5000)
    ):
        per_part[pid].append((cid, na, appraised if appraised is not None else self_pts))
    scores = [
        scoring.score_unit(p["unit_id"], p["unit__kind"], criteria, per_part[pk])
        for pk, p in parts.items()
    ]
    scoring.rank(scores)
    last = {
        r["unit_id"]: {f["code"]: f["pct"] for f in r["fields"]}
        for r in Result.objects.filter(
            cycle__year=cycle.year - 1, cycle__status=CycleStatus.PUBLISHED
        ).values("unit_id", "fields")
    }
    for s in scores:
        before = last.get(s.unit_id, {})
        for f in s.fields:
            old = before.get(f.code)
            if old is not None and f.pct is not None:
                f.change = f.pct - Decimal(old)
    return scores


def cycle_publish(*, actor, cycle: Cycle) -> Cycle:
    """Freeze the year: results stored, nobody edits afterwards."""
    _require(actor, MANAGE, cycle.owner_unit)
    _not_published(cycle)
    pending = list(
        Participation.objects.filter(cycle=cycle)
        .exclude(status=ParticipationStatus.CLOSED)
        .values_list("unit__name", flat=True)
    )
    if pending:
        raise ReformError("Chưa thẩm định xong: " + ", ".join(pending) + ".")
    scores = results_compute(cycle)
    with transaction.atomic():
        Result.objects.bulk_create(
            Result(
                cycle=cycle,
                unit_id=s.unit_id,
                kind=s.kind,
                points=s.points,
                applicable_max=s.maximum,
                index=s.index,
                band=s.band,
                rank=s.rank,
                rank_of=s.rank_of,
                fields=[
                    {
                        "code": f.code,
                        "text": f.text,
                        "points": str(f.points),
                        "max": str(f.maximum),
                        "pct": str(f.pct) if f.pct is not None else None,
                        "change": str(f.change) if f.change is not None else None,
                    }
                    for f in s.fields
                ],
            )
            for s in scores
        )
        cycle.status = CycleStatus.PUBLISHED
        cycle.published_at = timezone.now()
        cycle.save()
        if cycle.corrects_id:
            Cycle.objects.filter(pk=cycle.corrects_id).update(status=CycleStatus.SUPERSEDED)
        _log(
            actor=actor,
            cycle=cycle,
            verb="cycle.publish",
            detail={"units": len(scores), "revision": cycle.revision},
        )
    return cycle


def cycle_correct(*, actor, cycle: Cycle, reason: str) -> Cycle:
    """A correction of published results: a new revision, a copy of every score, reopened for
    the council (appraisal); the published one stays as it was until the new one is published."""
    _require(actor, MANAGE, cycle.owner_unit)
    reason = (reason or "").strip()
    if cycle.status != CycleStatus.PUBLISHED:
        raise ReformError("Chỉ đính chính kết quả đang công bố.")
    if not reason:
        raise ReformError("Đính chính phải ghi lý do.")
    if Cycle.objects.filter(corrects=cycle).exists():
        raise ReformError("Đã có một lần đính chính đang làm cho kết quả này.")
    with transaction.atomic():
        new = Cycle.objects.create(
            year=cycle.year,
            revision=cycle.revision + 1,
            owner_unit=cycle.owner_unit,
            opened_by=actor,
            opened_at=timezone.now(),
            self_due=cycle.self_due,
            appraisal_due=cycle.appraisal_due,
            publish_due=cycle.publish_due,
            correction_reason=reason,
            corrects=cycle,
        )
        for p in cycle.participations.all():
            old_pk = p.pk
            p.pk, p.cycle, p.status = None, new, ParticipationStatus.LOCKED
            p.save()
            for a in Assessment.objects.filter(participation_id=old_pk).prefetch_related(
                "evidence"
            ):
                files = list(a.evidence.all())
                a.pk, a.participation = None, p
                a.save()
                for e in files:
                    e.pk, e.assessment = None, a
                    e.save()
        _log(
            actor=actor,
            cycle=new,
            verb="cycle.correct",
            detail={"corrects": cycle.pk, "revision": new.revision, "reason": reason},
        )
    return new


SURVEY_COLUMNS = ("Mã đơn vị", "Số người trả lời", "Tỷ lệ hài lòng (%)")


def survey_import(*, actor, cycle: Cycle, content: bytes) -> int:
    """Survey results of many units from a workbook (first sheet: unit code, respondents,
    satisfied %). Every row is checked first; one bad row and nothing is written."""
    import io

    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        rows = list(book.worksheets[0].iter_rows(values_only=True))
    except Exception:
        raise ReformError("Tệp không phải bảng tính Excel (.xlsx) đọc được.")
    if not rows or [str(v or "").strip() for v in rows[0][:3]] != list(SURVEY_COLUMNS):
        raise ReformError("Dòng đầu phải là các cột: " + ", ".join(SURVEY_COLUMNS) + ".")
    parts = {p.unit.code: p for p in cycle.participations.select_related("unit", "cycle")}
    errors, todo, seen = [], [], set()
    for row_no, row in enumerate(rows[1:], start=2):
        values = [("" if v is None else str(v).strip()) for v in (list(row) + [None] * 3)[:3]]
        if not any(values):
            continue
        code, respondents, share = values
        if code not in parts:
            errors.append(
                f"Dòng {row_no}, cột '{SURVEY_COLUMNS[0]}': đơn vị '{code}' không "
                "tham gia năm đánh giá này."
            )
            continue
        if code in seen:
            errors.append(f"Dòng {row_no}: đơn vị '{code}' có hai dòng.")
        seen.add(code)
        if respondents.endswith(".0"):
            respondents = respondents[:-2]
        if not (respondents.isdigit() and int(respondents) > 0):
            errors.append(f"Dòng {row_no}, cột '{SURVEY_COLUMNS[1]}': phải là số nguyên lớn hơn 0.")
        try:
            number = Decimal(share.replace(",", "."))
            if not (number.is_finite() and 0 <= number <= 100):
                raise InvalidOperation
        except InvalidOperation:
            errors.append(f"Dòng {row_no}, cột '{SURVEY_COLUMNS[2]}': phải là số từ 0 đến 100.")
        if parts[code].status == ParticipationStatus.CLOSED:
            errors.append(f"Dòng {row_no}: {parts[code].unit.name} đã được thẩm định xong.")
        todo.append((parts[code], respondents, share))
    if errors:
        raise ReformError(" ".join(errors[:20]))
    if not todo:
        raise ReformError("Tệp không có dòng kết quả nào.")
    with transaction.atomic():
        for participation, respondents, share in todo:
            survey_record(
                actor=actor,
                participation=participation,
                respondents=respondents,
                satisfied_pct=str(round(Decimal(share.replace(",", ".")), 2)),
            )
    return len(todo)
