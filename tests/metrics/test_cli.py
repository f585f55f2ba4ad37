"""`motcua index`: the same figures as text and as JSON; bad input gets a Vietnamese message."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError


def run(*args) -> str:
    out = StringIO()
    call_command("index", *args, stdout=out)
    return out.getvalue()


def test_it_prints_the_unit_tree_as_json(two_months):
    data = json.loads(
        run("--unit", "VINHPHU", "--from", "01/10/2026", "--to", "31/10/2026", "--json")
    )
    assert data["score"] == 63.33
    assert data["applicable_max"] == 46 and data["max"] == 100
    assert data["band"] == "Trung bình"
    assert data["rank_siblings"] == {"rank": 2, "of": 2}
    progress = next(g for g in data["groups"] if g["code"] == "tien_do")
    on_time = progress["indicators"][0]
    assert (on_time["numerator"], on_time["denominator"], on_time["rate_pct"]) == (3, 5, 60.0)
    assert on_time["points"] == 12.0


def test_it_prints_a_readable_scorecard(two_months):
    text = run("--unit", "THANHVINH", "--period", "2026-10")
    assert "Tổng: 69,08/100" in text
    assert "xếp loại Trung bình" in text
    assert "hs_truc_tuyen" in text and "66,67% (2/3), 6,00/6 điểm" in text
    assert "chưa có dữ liệu" in text
    assert "Xếp hạng trong các đơn vị cùng cấp trên: 1/2" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--unit", "KHONGCO", "--period", "2026"], "Không có đơn vị mã"),
        (["--unit", "VINHPHU", "--period", "2026-13"], "Kỳ '2026-13' không hợp lệ"),
        (["--unit", "VINHPHU", "--from", "31/02/2026", "--to", "01/03/2026"], "không hợp lệ"),
        (["--unit", "VINHPHU", "--from", "01/03/2026", "--to", "01/02/2026"], "phải sau"),
        (["--unit", "VINHPHU"], "Cần --from và --to"),
    ],
)
def test_bad_input_is_refused_in_vietnamese(org, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)
