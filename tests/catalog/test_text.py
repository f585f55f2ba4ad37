"""Search folding: case and Vietnamese diacritics never matter."""

from hypothesis import given
from hypothesis import strategies as st

from motcua.catalog.text import fold, search_terms

VIETNAMESE = (
    "aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
)


def test_it_folds_vietnamese_to_plain_lower_case():
    assert fold("Đăng ký Thường trú") == "dang ky thuong tru"
    assert fold("CẤP ĐỔI THẺ CĂN CƯỚC") == "cap doi the can cuoc"
    assert fold("Xóa đăng ký  tạm trú,\tgia hạn") == "xoa dang ky tam tru gia han"
    assert fold("1.004194.H40") == "1.004194.h40"


def test_it_splits_a_search_into_distinct_words():
    assert search_terms("  Đăng ký, đăng KÝ thường trú ") == ["dang", "ky", "thuong", "tru"]
    assert search_terms("...") == []


@given(st.text(alphabet=VIETNAMESE + VIETNAMESE.upper() + " ,.-0123456789"))
def test_it_folds_any_text_to_ascii_words_and_is_stable(text):
    folded = fold(text)
    assert folded == fold(folded) == fold(text.upper()) == fold(text.lower())
    assert all(c in "abcdefghijklmnopqrstuvwxyz0123456789. " for c in folded)
    assert "  " not in folded
