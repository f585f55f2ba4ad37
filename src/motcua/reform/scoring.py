"""Points, index, band and rank: pure arithmetic on plain rows (no queries), so a province of
500 units × 100 criteria is scored in one pass.

Index = total points ÷ applicable maximum × 100, rounded half up to two decimals. Not-applicable
rows leave the maximum; bonus points count in the total but never in the maximum (so an index
can pass 100). Ranks are among units of the same kind in the cycle; ties share a rank."""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from motcua.reform.models import Method

CENT = Decimal("0.01")
ZERO = Decimal(0)
BANDS = [
    (Decimal(95), "Xuất sắc"),
    (Decimal(80), "Tốt"),
    (Decimal(70), "Khá"),
    (Decimal(50), "Hoàn thành nhiệm vụ"),
]
FAILED = "Không hoàn thành nhiệm vụ"


def q2(value) -> Decimal:
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def show(value) -> str:
    """A figure as Vietnamese write it: "4,5", "10", "97,12"."""
    if value is None:
        return ""
    text = f"{Decimal(value).normalize():f}"
    return text.replace(".", ",")


def pct(points: Decimal, maximum: Decimal) -> Decimal | None:
    if not maximum:
        return None
    return q2(Fraction(points) * 100 / Fraction(maximum))


def band_of(index: Decimal | None) -> str:
    if index is None:
        return ""
    for floor, name in BANDS:
        if index >= floor:
            return name
    return FAILED


def rate_points(rate: Fraction | Decimal, max_points: Decimal, threshold_pct: int) -> Decimal:
    """Automatic and survey rule (as the service index): full points at rate ≥ threshold, else
    rate × max ÷ threshold."""
    rate = Fraction(rate)  # the index reports exact rates as Decimal; Fraction keeps them exact
    threshold = Fraction(threshold_pct, 100)
    if rate >= threshold:
        return q2(Fraction(max_points))
    return q2(rate * Fraction(max_points) / threshold)


def self_points(criterion, value: Decimal) -> Decimal:
    """The points a unit's entry is worth (a deduction's entry is a count of events)."""
    if criterion.method == Method.DEDUCTION:
        return max(ZERO, criterion.max_points - value * criterion.points_per_event)
    return value


@dataclass
class FieldScore:
    code: str
    text: str
    points: Decimal = ZERO
    maximum: Decimal = ZERO
    change: Decimal | None = None

    @property
    def pct(self) -> Decimal | None:
        return pct(self.points, self.maximum)


@dataclass
class UnitScore:
    unit_id: int
    kind: str
    points: Decimal = ZERO
    maximum: Decimal = ZERO
    fields: list[FieldScore] = field(default_factory=list)
    rank: int | None = None
    rank_of: int | None = None

    @property
    def index(self) -> Decimal | None:
        return pct(self.points, self.maximum)

    @property
    def band(self) -> str:
        return band_of(self.index)


def score_unit(unit_id: int, kind: str, criteria: dict, rows) -> UnitScore:
    """criteria: {id: (field_code, field_text, method, max_points)};
    rows: [(criterion_id, not_applicable, points)] of one unit's assessments."""
    result = UnitScore(unit_id, kind)
    fields: dict[str, FieldScore] = {}
    for criterion_id, not_applicable, points in rows:
        field_code, field_text, method, max_points = criteria[criterion_id]
        f = fields.get(field_code)
        if f is None:
            f = fields[field_code] = FieldScore(field_code, field_text)
        if not_applicable:
            continue
        if method != Method.BONUS:
            f.maximum += max_points
        f.points += points or ZERO
    result.fields = sorted(fields.values(), key=lambda x: _code_key(x.code))
    result.points = sum((f.points for f in result.fields), ZERO)
    result.maximum = sum((f.maximum for f in result.fields), ZERO)
    return result


def _code_key(code: str):
    return [int(p) if p.isdigit() else p for p in code.split(".")]


def rank(scores: list[UnitScore]) -> None:
    """Competition ranks among units of the same kind ("1, 1, 3"); units with no index none."""
    by_kind: dict[str, list[UnitScore]] = {}
    for s in scores:
        if s.index is not None:
            by_kind.setdefault(s.kind, []).append(s)
    for members in by_kind.values():
        shown = sorted((m.index for m in members), reverse=True)
        for m in members:
            m.rank = shown.index(m.index) + 1
            m.rank_of = len(members)
