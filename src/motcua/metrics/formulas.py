"""One function per indicator of the service index, named by the indicator's code.

Each takes the facts of one unit (its subtree) for one period, `f[code]` being the sum of that
daily fact (0 when nothing happened) and `f["open_overdue"]` the dossiers still open and past
their legal due at the period's end, and returns (numerator, denominator). The docstring says
what they are, as domain spec section 6 gives them.

`sources` names where the facts come from (motcua.metrics.sources): while one is not
available the indicator is "no data" and left out of the maximum. `numerator` and
`denominator`, when given, are the facts summed on each side: they let a figure be drilled down
to the exact dossiers behind it.

Scoring (`points`): a rate at or above the threshold T gives full points; below it, points =
rate × max ÷ T. Zero denominator [decision]: the indicator is left out of the applicable
maximum, like an indicator without data, and shown as "không phát sinh". Full points would
reward a unit for having no dossiers, zero points would punish it; leaving it out scores the
unit on what it did handle, and the total is rescaled to 100 over what applies.
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

FINISHED = ("finished_early", "finished_ontime", "finished_late")
ON_TIME = ("finished_early", "finished_ontime")


@dataclass(frozen=True)
class Formula:
    code: str
    function: Callable
    sources: tuple[str, ...]
    numerator: tuple[str, ...]
    denominator: tuple[str, ...]

    @property
    def doc(self) -> str:
        return " ".join((self.function.__doc__ or "").split())


FORMULAS: dict[str, Formula] = {}


def formula(*, sources=("dossiers",), numerator=(), denominator=()):
    def register(function):
        FORMULAS[function.__name__] = Formula(
            function.__name__, function, tuple(sources), tuple(numerator), tuple(denominator)
        )
        return function

    return register


def points(numerator: int, denominator: int, max_points: int, threshold_pct: int) -> Decimal:
    """Full points at rate ≥ T, else rate × max ÷ T (the comparison exact in integers, the
    points to 28 significant digits; rounded only for display)."""
    if threshold_pct <= 0 or numerator * 100 >= threshold_pct * denominator:
        return Decimal(max_points)
    return Decimal(numerator * max_points * 100) / Decimal(denominator * threshold_pct)


def _sum(f, codes) -> int:
    return sum(f[code] for code in codes)


# ---------------------------------------------------------------- transparency (18)


@formula(sources=("catalog_publication",))
def cong_khai_dung_han(f):
    """Numerator: procedures published on time (within the legal time after the decision that
    announces them). Denominator: procedures announced in the period."""
    return f["procedures_published_on_time"], f["procedures_announced"]


@formula(sources=("national_database",))
def csdl_quoc_gia(f):
    """Numerator: procedures published in the national procedure database on time.
    Denominator: procedures announced in the period."""
    return f["procedures_in_national_db_on_time"], f["procedures_announced"]


@formula(sources=("catalog_publication",))
def cong_khai_day_du(f):
    """Numerator: procedures with every component published (documents, time, fees, forms,
    result, legal basis). Denominator: procedures in force."""
    return f["procedures_complete"], f["procedures_in_force"]


@formula(sources=("national_portal",))
def dong_bo_dvcqg(f):
    """Numerator: dossiers synchronised to the national public-service portal.
    Denominator: dossiers received."""
    return f["synced_national_portal"], f["received"]


# ---------------------------------------------------------------- progress (20)


@formula(numerator=ON_TIME, denominator=(*FINISHED, "open_overdue"))
def dung_han(f):
    """Numerator: dossiers finished (result ready, returned, stopped or refused) early or on
    time in the period, i.e. at or before the legal due with the applicant's waiting time left
    out and at most one supplement request after receipt. Denominator: dossiers finished in the
    period plus dossiers still open at its end and past their legal due."""
    return _sum(f, ON_TIME), _sum(f, FINISHED) + f["open_overdue"]


@formula(sources=("processing_time",))
def thoi_gian_xu_ly(f):
    """Average processing time (shown, not scored). Numerator: working minutes from receipt to
    finish, summed. Denominator: dossiers finished in the period."""
    return f["finished_minutes"], _sum(f, FINISHED)


# ---------------------------------------------------------- online service (12) + payment (10)


@formula(sources=("catalog_online",))
def tthc_truc_tuyen(f):
    """Numerator: procedures offered fully or partly online. Denominator: procedures the unit
    handles. Procedures, not dossiers (metrics.catalog_facts): the public procedures whose
    version in force at the end of the period names a unit of the subtree among its handling
    units, each counted once; internal procedures for officers are left out, not being public
    services [decision]."""
    return f["procedures_online"], f["procedures_handled"]


@formula(numerator=("received_online",), denominator=("received",))
def hs_truc_tuyen(f):
    """Numerator: dossiers received online in the period. Denominator: all dossiers received
    in the period."""
    return f["received_online"], f["received"]


@formula(sources=("catalog_payment",))
def tthc_tt_truc_tuyen(f):
    """Numerator: fee-bearing procedures that offer online payment. Denominator: fee-bearing
    procedures the unit handles (a fee item charging something at the desk or online, in the
    version in force at the end of the period). [decision] motcua's payment page takes the
    outstanding fee of any dossier once a payment provider is configured (VNPAY_URL or the demo
    simulator): then every fee-bearing procedure offers online payment; without one, none does
    (the configuration running now is taken for every period: motcua keeps no history of it)."""
    return f["procedures_pay_online"], f["procedures_with_fee"]


@formula(sources=("catalog_payment",))
def tthc_co_giao_dich_tt(f):
    """Numerator: procedures with at least one online payment in the period. Denominator:
    procedures that offer online payment. A payment counts when a dossier of the procedure
    handled in the subtree had its fee (not exempted) paid online on a day of the period (read
    from the monthly markers models.ProcedurePaidOnline, not the dossiers); only procedures of
    the denominator are counted, so the rate never exceeds 100%."""
    return f["procedures_paid_online"], f["procedures_pay_online"]


@formula(numerator=("fee_paid_online",), denominator=("fee_paid",))
def hs_tt_truc_tuyen(f):
    """Numerator: fees paid online in the period. Denominator: fee-bearing dossiers whose fee
    was paid in the period (exemptions left out) [decision: counted on the day of payment, so
    a dossier received in one month and paid in the next counts in the next]."""
    return f["fee_paid_online"], f["fee_paid"]


# ---------------------------------------------------------------- digitisation (22)


@formula(numerator=("e_result",), denominator=("result_issued",))
def ket_qua_dien_tu(f):
    """Numerator: results issued in the period as electronic results. Denominator: results
    issued in the period (dossiers approved)."""
    return f["e_result"], f["result_issued"]


@formula(numerator=("e_result_scanned",), denominator=("result_issued",))
def so_hoa_ket_qua(f):
    """Numerator: dossiers with a result in the period whose papers were scanned at intake and
    whose result is electronic. Denominator: results issued in the period."""
    return f["e_result_scanned"], f["result_issued"]


@formula(sources=("e_copies",))
def ban_sao_dien_tu(f):
    """Numerator: certified electronic copies issued. Denominator: copies requested."""
    return f["e_copies_issued"], f["e_copies_requested"]


@formula(sources=("document_store",))
def tai_su_dung(f):
    """Numerator: dossiers re-using documents already digitised. Denominator: dossiers
    received whose documents could be re-used."""
    return f["reused_documents"], f["reusable_documents"]


@formula(sources=("document_store",))
def kho_du_lieu(f):
    """Numerator: results pushed to the citizen's document store. Denominator: results issued."""
    return f["results_in_store"], f["result_issued"]


@formula(sources=("population_db",))
def csdl_dan_cu_tthc(f):
    """Numerator: procedures connected to the population database. Denominator: procedures
    that need personal data."""
    return f["procedures_population_db"], f["procedures_personal_data"]


@formula(sources=("population_db",))
def csdl_dan_cu_hs(f):
    """Numerator: dossiers whose applicant was looked up in the population database.
    Denominator: dossiers received from persons."""
    return f["population_db_lookups"], f["received_persons"]


# ---------------------------------------------------------------- satisfaction (18)


@formula(sources=("feedback",))
def pakn_dung_han(f):
    """Numerator: feedback and complaints answered on time in the period. Denominator:
    feedback answered in the period plus feedback still open and past its due."""
    return f["feedback_on_time"], f["feedback_due"]


@formula(sources=("feedback",))
def hai_long_pakn(f):
    """Numerator: answers to feedback the citizen rated satisfied. Denominator: answers rated."""
    return f["feedback_satisfied"], f["feedback_rated"]


@formula(sources=("ratings", "feedback"), denominator=(*FINISHED, "open_overdue"))
def hai_long_tthc(f):
    """Satisfaction with procedures = 100% − (late-dossier rate + rate of dossiers with
    complaints or dislikes). Denominator: dossiers finished in the period plus dossiers open
    and overdue at its end. Numerator: the denominator less the late ones (finished late or
    open and overdue) less the dossiers with a complaint or a "not satisfied" rating (never
    below 0)."""
    denominator = _sum(f, FINISHED) + f["open_overdue"]
    late = f["finished_late"] + f["open_overdue"]
    return max(denominator - late - f["rated_dislike"] - f["complained"], 0), denominator
