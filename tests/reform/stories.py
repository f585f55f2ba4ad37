"""A small commune template for 2026, worked by hand in test_hand_worked.py.

Field 1 (10): 1.1 full-or-zero 4, 1.2 graded 6 (100/75/50/0 %), 1.3 bonus 2 (outside the max).
Field 2 (10): 2.1 graded 10 (100/50/0 %), may be not applicable.
Field 3 (20): 3.1 automatic on-time rate (dung_han) 10, threshold 100 %; 3.2 deduction 10,
              3 points an event.
Field 4 (10): 4.1 survey 10, threshold 90 %.
"""

from decimal import Decimal as D

from motcua.org.models import UnitKind
from motcua.reform.models import Method
from motcua.reform.templates_data import Row, template_create

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


def small_rows():
    return [
        Row("1", "", "Chỉ đạo, điều hành", D(10)),
        Row("1.1", "1", "Kế hoạch CCHC ban hành đúng hạn", D(4), Method.FULL_OR_ZERO),
        Row("1.2", "1", "Hoàn thành kế hoạch", D(6), Method.GRADED, "100,75,50,0"),
        Row("1.3", "1", "Sáng kiến được công nhận", D(2), Method.BONUS),
        Row("2", "", "Văn bản quy phạm pháp luật", D(10)),
        Row("2.1", "2", "Rà soát văn bản", D(10), Method.GRADED, "100,50,0", na_allowed=True),
        Row("3", "", "Thủ tục hành chính", D(20)),
        Row("3.1", "3", "Hồ sơ đúng hạn", D(10), Method.AUTOMATIC, indicator="dung_han"),
        Row(
            "3.2", "3", "Hồ sơ trễ hẹn phải xin lỗi", D(10), Method.DEDUCTION, points_per_event=D(3)
        ),
        Row("4", "", "Sự hài lòng", D(10)),
        Row(
            "4.1",
            "4",
            "Khảo sát người dân",
            D(10),
            Method.SURVEY,
            indicator="khao_sat",
            threshold_pct=90,
        ),
    ]


def small_template(year=2026):
    return template_create(
        actor="test",
        year=year,
        kind=UnitKind.COMMUNE_POLICE,
        name="Bộ tiêu chí thử",
        rows=small_rows(),
    )


def row(participation, code):
    return participation.assessments.select_related("criterion").get(criterion__code=code)
