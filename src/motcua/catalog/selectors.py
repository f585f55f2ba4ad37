"""Reads of the catalogue.

Public reads (`public_procedures`, `procedure_for_viewer`) show published procedures only, and
internal procedures to logged-in staff only. Staff catalogue administration reads go through
`scope()` on the procedure's owner unit, like every other staff query.
"""

from django.db import connection
from django.db.models import Case, IntegerField, Max, Prefetch, Q, Value, When

from motcua.catalog import pagecache
from motcua.catalog.models import (
    Audience,
    Domain,
    OnlineLevel,
    Procedure,
    ProcedureVersion,
    VersionStatus,
    is_staff_viewer,
)
from motcua.catalog.text import search_terms
from motcua.org.models import Desk, Unit
from motcua.org.scoping import scope

HandlingUnit = ProcedureVersion.handling_units.through


def _handled_by(units):
    """Ids of versions handled by any of `units` (a subquery, so no duplicate rows)."""
    return HandlingUnit.objects.filter(unit__in=units).values("procedureversion_id")


def search(queryset, query: str):
    """Filter by every folded word of `query` (diacritics and case ignored); procedures whose
    text holds the whole phrase come first."""
    terms = search_terms(query)
    if not terms:
        return queryset
    for term in terms:
        queryset = queryset.filter(search_text__contains=term)
    phrase = " ".join(terms)
    if len(terms) > 1:
        queryset = queryset.annotate(
            phrase_rank=Case(
                When(search_text__contains=phrase, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        ).order_by("phrase_rank", "sort_key", "code")
    return queryset


def public_procedures(*, user, q: str = "", domain: str = "", unit: str = "", online: str = ""):
    """The public list /tthc/ and the API list, filtered."""
    qs = Procedure.objects.visible_to(user).select_related("domain")
    if domain:
        qs = qs.filter(domain__code=domain)
    if unit:
        qs = qs.filter(current_version_id__in=_handled_by(Unit.objects.filter(code=unit)))
    if online in OnlineLevel.values:
        qs = qs.filter(online_level=online)
    return search(qs.order_by("sort_key", "code"), q)


def procedure_for_viewer(code: str, user) -> Procedure | None:
    """A published procedure the visitor may read, with its current version, or None."""
    procedure = (
        Procedure.objects.visible_to(user)
        .select_related("current_version", "current_version__domain", "owner_unit")
        .filter(code=code)
        .first()
    )
    return procedure


def current_version_key(code: str):
    """(current version id, audience) of a published procedure, or None.

    Every scan of a poster that reaches the app runs this: one indexed lookup, without the ORM,
    on the thread's kept connection (settings.py keeps SQLite connections too)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_version_id, audience FROM catalog_procedure WHERE code = %s", [code]
        )
        row = cursor.fetchone()
    if row is None or row[0] is None:
        return None
    return row


# A published version never changes (publishing again makes a new version), so an intake need
# not read it again: each process keeps the versions it has read, with their procedure and
# handling units, keyed by id *and* publication time (ids come back after a restore or a
# rolled-back test). Which version is current is still read on every call.
_in_force = pagecache.LRU(maxsize=1000, ttl=24 * 3600)


def version_in_force(code: str) -> ProcedureVersion | None:
    """The current published version of a procedure, with `procedure` and `handling_units`
    loaded, or None. The object is shared between requests: read it, never change it."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT v.id, v.published_at FROM catalog_procedure p "
            "JOIN catalog_procedureversion v ON v.id = p.current_version_id "
            "WHERE p.code = %s AND v.status = %s",
            [code, VersionStatus.PUBLISHED],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    version = _in_force.get(row)
    if version is None:
        version = (
            ProcedureVersion.objects.select_related("procedure")
            .prefetch_related("handling_units")
            .get(pk=row[0])
        )
        _in_force.put(row, version)
    return version


def version_detail(version_id: int) -> ProcedureVersion:
    return (
        ProcedureVersion.objects.select_related("procedure", "procedure__owner_unit", "domain")
        .prefetch_related(
            Prefetch("handling_units", queryset=Unit.objects.order_by("path")),
            "forms",
        )
        .get(pk=version_id)
    )


def published_versions(procedure: Procedure):
    return (
        procedure.versions.filter(status=VersionStatus.PUBLISHED)
        .select_related("published_by")
        .order_by("-number")
    )


def published_version(procedure: Procedure, number: int) -> ProcedureVersion | None:
    version = published_versions(procedure).filter(number=number).first()
    return version_detail(version.pk) if version else None


def catalog_generation():
    """Changes whenever anything is published: the latest publishing time (indexed)."""
    return Procedure.objects.aggregate(latest=Max("published_at"))["latest"]


def filter_choices(user) -> dict:
    """Domains and units that the public list can filter by, and online levels.

    They only change when something is published, so each process keeps them per
    catalog_generation() instead of joining the whole catalogue on every search."""
    staff = is_staff_viewer(user)
    key = ("choices", staff, catalog_generation())
    cached = pagecache.pages.get(key)
    if cached is None:
        visible = Procedure.objects.visible_to(user)
        domains = list(
            Domain.objects.filter(pk__in=visible.values("domain_id")).order_by("position", "name")
        )
        links = HandlingUnit.objects.filter(
            procedureversion_id__in=visible.values("current_version_id")
        )
        units = list(Unit.objects.filter(pk__in=links.values("unit_id")).order_by("path"))
        cached = (domains, units)
        pagecache.pages.put(key, cached)
    domains, units = cached
    return {"domains": domains, "units": units, "online_levels": OnlineLevel.choices}


class Matches:
    """Search results for a paginator: one scan for the ordered ids (the count is their
    number), then only the rows of the page are read."""

    def __init__(self, queryset):
        self.queryset = queryset
        self.ids = list(queryset.values_list("pk", flat=True))

    def count(self) -> int:
        return len(self.ids)

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, index):
        ids = self.ids[index] if isinstance(index, slice) else [self.ids[index]]
        rows = {
            p.pk: p
            for p in self.queryset.model.objects.filter(pk__in=ids).select_related(
                "domain", "current_version", "current_version__domain"
            )
        }
        found = [rows[pk] for pk in ids if pk in rows]
        return found if isinstance(index, slice) else found[0]


def procedures_for_desk(desk: Desk, user):
    """Published procedures received at `desk`: those handled by a unit the desk serves."""
    return (
        Procedure.objects.visible_to(user)
        .filter(current_version_id__in=_handled_by(desk.served_units.all()))
        .select_related("current_version", "owner_unit")
        .order_by("domain__position", "sort_key", "code")
    )


def public_desks():
    return Desk.objects.filter(is_active=True).select_related("unit").order_by("unit__path")


# Staff catalogue administration ------------------------------------------------------------


def catalog_for_staff(user, *, q: str = "", state: str = ""):
    """Procedures whose owner unit is in the user's subtree, with their draft flag."""
    qs = scope(Procedure.objects.all(), user, unit_field="owner_unit").select_related(
        "owner_unit", "current_version", "domain"
    )
    draft_ids = ProcedureVersion.objects.filter(status=VersionStatus.DRAFT).values("procedure_id")
    qs = qs.annotate(
        has_draft=Case(
            When(pk__in=draft_ids, then=Value(1)), default=Value(0), output_field=IntegerField()
        )
    )
    if state == "draft":
        qs = qs.filter(has_draft=1)
    elif state == "unpublished":
        qs = qs.filter(current_version__isnull=True)
    elif state == "internal":
        qs = qs.exclude(audience=Audience.PUBLIC)
    terms = search_terms(q)
    for term in terms:
        # Unpublished procedures have no search text yet: match their code too.
        qs = qs.filter(Q(search_text__contains=term) | Q(code__icontains=term))
    return qs.order_by("sort_key", "code")


def staff_procedure(user, code: str) -> Procedure | None:
    return (
        scope(Procedure.objects.all(), user, unit_field="owner_unit")
        .select_related("owner_unit", "current_version")
        .filter(code=code)
        .first()
    )


def all_versions(procedure: Procedure):
    """Drafts first, then published versions newest first (staff view)."""
    return procedure.versions.select_related("published_by", "created_by").order_by(
        Case(When(status=VersionStatus.DRAFT, then=Value(0)), default=Value(1)), "-number"
    )
