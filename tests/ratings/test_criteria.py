"""The nine indices of Circular 01/2018 Arts. 12–15 (domain.md §5), 2/1/0 points, and the bands."""

from decimal import Decimal

import pytest

from motcua.ratings import criteria


def test_nine_indices_scored_two_one_zero():
    assert len(criteria.CRITERIA) == 9
    assert [c.number for c in criteria.CRITERIA] == list(range(1, 10))
    for c in criteria.CRITERIA:
        assert [points for points, _label in c.options] == [2, 1, 0]
    assert criteria.MAX_TOTAL == 18


def test_the_five_criteria_are_all_asked():
    groups = {str(c.group) for c in criteria.CRITERIA}
    assert groups == {
        "Thời gian giải quyết",
        "Số lần, số nơi phải liên hệ",
        "Thông tin được công khai",
        "Thái độ của cán bộ",
        "Kết quả, phí và lệ phí đúng quy định",
    }


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (18, "Xuất sắc"),
        (15, "Xuất sắc"),
        (Decimal("14.99"), "Tốt"),
        (12, "Tốt"),
        (Decimal("11.99"), "Khá"),
        (9, "Khá"),
        (Decimal("8.99"), "Trung bình"),
        (6, "Trung bình"),
        (Decimal("5.99"), "Yếu"),
        (0, "Yếu"),
    ],
)
def test_bands_at_their_edges(score, band):
    assert criteria.band(score)[1] == band


def test_the_average_is_rounded_half_up_to_two_decimals():
    assert criteria.average(41, 3) == Decimal("13.67")
    assert criteria.average(1, 8) == Decimal("0.13")  # 0.125
    assert criteria.average(0, 0) is None
