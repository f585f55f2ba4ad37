"""The catalogue indicators of the service index, read from motcua's own catalogue.

Three indicators count procedures, not dossiers: procedures offered online (tthc_truc_tuyen),
fee-bearing procedures payable online (tthc_tt_truc_tuyen), and procedures with an online
payment in the period (tthc_co_giao_dich_tt). Rules [decision]:

- Point in time: the catalogue as it stood at the end of the period's last day (or of the "as
  of" day), i.e. the published versions whose `published_at` is before that instant and whose
  `superseded_at` is not. The catalogue's own timestamps are used, not the versions'
  `effective_from`, which may be back-dated at publication: a past period's figure never
  changes when the catalogue changes later.
- Public procedures only: internal ones (Audience other than PUBLIC: personnel, logistics,
  records) are the police's own paperwork for its officers. Decision 766 scores the public
  services offered to citizens and organisations, and internal procedures are never offered on
  the public-service portal, so counting them would lower a unit's rate for something it is not
  asked to put online.
- A unit's figure covers its subtree: DISTINCT procedures handled by any unit of the subtree (a
  procedure two wards handle counts once for their province). Such counts cannot be summed up
  the tree like the daily facts: they are computed for every unit at once per report, as sets
  of procedures (Python ints used as bitsets over the procedures in force), from one query of
  the catalogue and one of the online-payment markers.
- A unit handling no public procedure has a zero denominator: the general rule applies
  ("không phát sinh", left out of the maximum).

The online-payment markers (models.ProcedurePaidOnline) are written by the receiver that counts
the fee_paid_online fact and rebuilt by `metrics-rebuild` (`rebuild`).
"""

from collections import defaultdict
from datetime import date, timedelta

from django.apps import apps
from django.db import connection
from django.db.models import F, Q
from django.db.models.functions import ExtractDay

from motcua.metrics import sources
from motcua.metrics.facts import day_start

PROCEDURE_CODES = (
    "procedures_handled",
    "procedures_online",
    "procedures_with_fee",
    "procedures_pay_online",
    "procedures_paid_online",
)

# Each side of each catalogue indicator: which set of procedures it counts (drill-down).
SIDES = {
    "tthc_truc_tuyen": {"numerator": "online", "denominator": "handled"},
    "tthc_tt_truc_tuyen": {"numerator": "pay_online", "denominator": "with_fee"},
    "tthc_co_giao_dich_tt": {"numerator": "paid_online", "denominator": "pay_online"},
}


def connect() -> None:
    """The catalogue is always there; online payment only with the payments app."""
    sources.register("catalog_online")
    if apps.is_installed("motcua.payments"):
        sources.register("catalog_payment")


def payment_offered() -> bool:
    """Whether motcua offers online payment of fees at all.

    motcua's payment page (motcua.payments) lets the citizen pay, from the tracking page, the
    outstanding fee of any dossier, whatever its procedure and channel, as soon as a provider
    is configured (VNPAY_URL, or the demo simulator): so every fee-bearing procedure offers
    online payment exactly when `payments.vnpay.enabled()`. motcua keeps no history of its
    settings: the present configuration is taken for every period [decision]."""
    if not apps.is_installed("motcua.payments"):
        return False
    from motcua.payments import vnpay

    return vnpay.enabled()


def charges_fee(fees) -> bool:
    """A procedure bears a fee when any fee item charges something at the desk or online (the
    catalogue's own rule, ProcedureVersion.is_free)."""
    return any(fee.get("desk") or fee.get("online") for fee in fees or [])


def _path_ids(path: str) -> list[int]:
    return [int(part) for part in path.strip("/").split("/") if part]


class Catalogue:
    """The public procedures in force at the end of `day`, as bitsets: bit i is procedure
    `ids[i]`; `handled[unit_id]` the procedures a unit itself handles."""

    def __init__(self, day: date, *, unit_path: str | None = None):
        from motcua.catalog.models import Audience, OnlineLevel, ProcedureVersion, VersionStatus

        cutoff = day_start(day + timedelta(days=1))
        versions = ProcedureVersion.objects.filter(
            status=VersionStatus.PUBLISHED, published_at__lt=cutoff, audience=Audience.PUBLIC
        ).filter(Q(superseded_at__isnull=True) | Q(superseded_at__gte=cutoff))
        self.versions: dict[int, int] = {}  # procedure id → version id in force
        self.ids: list[int] = []
        self.bit: dict[int, int] = {}
        self.online = self.with_fee = 0
        rows = versions.order_by("procedure_id").values_list(
            "pk", "procedure_id", "online_level", "fees"
        )
        for version_id, procedure_id, online_level, fees in rows:
            bit = 1 << len(self.ids)
            self.bit[procedure_id] = bit
            self.versions[procedure_id] = version_id
            self.ids.append(procedure_id)
            if online_level in (OnlineLevel.FULL, OnlineLevel.PARTIAL):
                self.online |= bit
            if charges_fee(fees):
                self.with_fee |= bit
        through = ProcedureVersion.handling_units.through.objects.filter(
            procedureversion__in=versions
        )
        if unit_path is not None:
            through = through.filter(unit__path__startswith=unit_path)
        self.handled: dict[int, int] = defaultdict(int)
        for procedure_id, unit_id in through.values_list(
            "procedureversion__procedure_id", "unit_id"
        ):
            self.handled[unit_id] |= self.bit[procedure_id]

    def procedures(self, mask: int) -> list[int]:
        return [pid for i, pid in enumerate(self.ids) if mask >> i & 1]


# Catalogues at the end of a day, reused while the catalogue's token is the same: the
# trends read twelve months, and the pages the same periods again and again.
_CACHE: dict[tuple, Catalogue] = {}
_CACHE_SIZE = 64


def catalogue_at(day: date) -> Catalogue:
    """The whole catalogue at the end of `day`, built once per state of the catalogue: the
    token (count, last id, last publication and supersession of the published versions)
    changes with every publication, and published versions are never edited."""
    from django.db.models import Count, Max

    from motcua.catalog.models import ProcedureVersion, VersionStatus

    token = ProcedureVersion.objects.filter(status=VersionStatus.PUBLISHED).aggregate(
        n=Count("pk"), last=Max("pk"), published=Max("published_at"), ended=Max("superseded_at")
    )
    key = (connection.alias, connection.settings_dict["NAME"], day, *token.values())
    catalogue = _CACHE.get(key)
    if catalogue is None:
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.clear()
        catalogue = _CACHE[key] = Catalogue(day)
    return catalogue


def _day_bits(first: int, last: int) -> int:
    """Bits d-1 for the days first..last of a month."""
    return ((1 << last) - 1) ^ ((1 << (first - 1)) - 1)


def paid_online(start: date, end: date, *, unit_path: str | None = None):
    """(unit_id, procedure_id) pairs with at least one fee paid online in [start, end]: whole
    months by their marker, the months at either end by the bits of their days in range."""
    from motcua.metrics.models import ProcedurePaidOnline

    if end < start:
        return []
    first, last = start.replace(day=1), end.replace(day=1)
    qs = ProcedurePaidOnline.objects.all()
    if unit_path is not None:
        qs = qs.filter(unit__path__startswith=unit_path)
    if first == last:
        qs = qs.annotate(hit=F("days").bitand(_day_bits(start.day, end.day)))
        qs = qs.filter(month=first, hit__gt=0)
    else:
        qs = qs.annotate(
            hit_first=F("days").bitand(_day_bits(start.day, 31)),
            hit_last=F("days").bitand(_day_bits(1, end.day)),
        ).filter(
            Q(month__gt=first, month__lt=last)
            | Q(month=first, hit_first__gt=0)
            | Q(month=last, hit_last__gt=0)
        )
    return qs.order_by().values_list("unit_id", "procedure_id").distinct()


def _leaf_masks(catalogue: Catalogue, pairs) -> dict[int, int]:
    masks: dict[int, int] = defaultdict(int)
    for unit_id, procedure_id in pairs:
        masks[unit_id] |= catalogue.bit.get(procedure_id, 0)
    return masks


def _roll_up(leaf: dict[int, int], paths: dict[int, str]) -> dict[int, int]:
    """Each unit's set OR-ed into every unit above it (itself included)."""
    totals: dict[int, int] = defaultdict(int)
    for unit_id, mask in leaf.items():
        if mask and unit_id in paths:
            for ancestor in _path_ids(paths[unit_id]):
                totals[ancestor] |= mask
    return totals


def procedure_sets(catalogue: Catalogue, handled: int, paid: int, offered: bool) -> dict[str, int]:
    """The sets of procedures each figure counts, for a subtree handling `handled` and with
    online payments for `paid` (`offered`: payment_offered()). Paid procedures outside those
    the subtree offers to pay online at the period's end are left out, so the numerator stays
    within its denominator."""
    pay_online = handled & catalogue.with_fee if offered else 0
    return {
        "handled": handled,
        "online": handled & catalogue.online,
        "with_fee": handled & catalogue.with_fee,
        "pay_online": pay_online,
        "paid_online": paid & pay_online,
    }


def add_figures(totals: dict, units, start: date, end: date) -> None:
    """Put each unit's catalogue figures (PROCEDURE_CODES) into its subtree facts `totals`
    (unit id → Facts, already rolled up): the catalogue at the end of `end`, the online
    payments of [start, end]."""
    if not (sources.available("catalog_online") or sources.available("catalog_payment")):
        return
    catalogue = catalogue_at(end)
    offered = payment_offered()
    paths = {u.pk: u.path for u in units}
    handled = _roll_up(catalogue.handled, paths)
    paid = _roll_up(_leaf_masks(catalogue, paid_online(start, end)), paths)
    for unit_id, facts in totals.items():
        sets = procedure_sets(catalogue, handled.get(unit_id, 0), paid.get(unit_id, 0), offered)
        for name, mask in sets.items():
            facts[f"procedures_{name}"] = mask.bit_count()


def drillable(formula_code: str, side: str) -> bool:
    return side in SIDES.get(formula_code, {})


def procedures_behind(unit, formula_code: str, side: str, start: date, end: date):
    """The procedure versions counted in one side of a catalogue indicator for `unit` (its
    subtree) over [start, end]: the versions in force at the end, by procedure code."""
    from motcua.catalog.models import ProcedureVersion

    catalogue = Catalogue(end, unit_path=unit.path)
    handled = 0
    for mask in catalogue.handled.values():
        handled |= mask
    paid = 0
    for mask in _leaf_masks(catalogue, paid_online(start, end, unit_path=unit.path)).values():
        paid |= mask
    mask = procedure_sets(catalogue, handled, paid, payment_offered())[SIDES[formula_code][side]]
    ids = [catalogue.versions[pid] for pid in catalogue.procedures(mask)]
    return (
        ProcedureVersion.objects.filter(pk__in=ids)
        .select_related("procedure", "domain")
        .order_by("procedure__code")
    )


# ---------------------------------------------------------------- online-payment markers


def mark_paid_online(unit_id: int, procedure_id: int, day: date) -> None:
    """OR the day's bit into the (unit, month, procedure) marker: an upsert, so two payments
    at once both land, on SQLite and PostgreSQL."""
    from motcua.metrics.models import ProcedurePaidOnline

    _upsert(
        ProcedurePaidOnline._meta.db_table,
        [(unit_id, day.replace(day=1), procedure_id, 1 << (day.day - 1))],
    )


def _upsert(table_name: str, rows) -> None:
    q = connection.ops.quote_name
    table = q(table_name)
    params: list = []
    for unit_id, month, procedure_id, days in rows:
        params += [unit_id, connection.ops.adapt_datefield_value(month), procedure_id, days]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (unit_id, {q('month')}, procedure_id, days) VALUES "  # noqa: S608
            + ", ".join(["(%s, %s, %s, %s)"] * len(rows))
            + f" ON CONFLICT (unit_id, {q('month')}, procedure_id) DO UPDATE SET "
            f"days = {table}.days | excluded.days",
            params,
        )


def rebuild(first: date, last: date) -> int:
    """Recompute the markers of every month touching [first, last] from the dossiers (whole
    months: a marker holds a month's days). Returns the rows written."""
    from motcua.dossiers.models import Dossier
    from motcua.metrics.models import ProcedurePaidOnline
    from motcua.worktime.core import VN_TZ

    month = first.replace(day=1)
    written = 0
    while month <= last:
        after = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
        ProcedurePaidOnline.objects.filter(month=month).delete()
        rows = (
            Dossier.objects.filter(
                fee_paid_at__gte=day_start(month),
                fee_paid_at__lt=day_start(after),
                fee_exempt=False,
                fee_channel="online",
            )
            .annotate(m_day=ExtractDay("fee_paid_at", tzinfo=VN_TZ))
            .order_by()
            .values_list("handling_unit_id", "procedure_version__procedure_id", "m_day")
            .distinct()
        )
        markers: dict[tuple[int, int], int] = defaultdict(int)
        for unit_id, procedure_id, day in rows:
            markers[unit_id, procedure_id] |= 1 << (day - 1)
        ProcedurePaidOnline.objects.bulk_create(
            [
                ProcedurePaidOnline(unit_id=u, month=month, procedure_id=p, days=days)
                for (u, p), days in markers.items()
            ],
            batch_size=2000,
        )
        written += len(markers)
        month = after
    return written
