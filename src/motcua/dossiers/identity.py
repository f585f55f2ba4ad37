"""Checks of Vietnamese personal identification numbers (số định danh cá nhân, 12 digits).

Structure (Circular 07/2016/TT-BCA, Art. 7): 3 digits for the province of birth registration,
1 digit for century and sex, 2 digits for the year of birth, 6 random digits.
"""

from datetime import date

PROVINCE_CODES = frozenset(
    [
        "001",
        "002",
        "004",
        "006",
        "008",
        "010",
        "011",
        "012",
        "014",
        "015",
        "017",
        "019",
        "020",
        "022",
        "024",
        "025",
        "026",
        "027",
        "030",
        "031",
        "033",
        "034",
        "035",
        "036",
        "037",
        "038",
        "040",
        "042",
        "044",
        "045",
        "046",
        "048",
        "049",
        "051",
        "052",
        "054",
        "056",
        "058",
        "060",
        "062",
        "064",
        "066",
        "067",
        "068",
        "070",
        "072",
        "074",
        "075",
        "077",
        "079",
        "080",
        "082",
        "083",
        "084",
        "086",
        "087",
        "089",
        "091",
        "092",
        "093",
        "094",
        "095",
        "096",
    ]
)


def personal_id_error(value: str, *, today: date | None = None) -> str | None:
    """A Vietnamese message saying what is wrong with the number, or None when it is valid."""
    if len(value) != 12 or not (value.isascii() and value.isdigit()):
        return "Số định danh cá nhân phải gồm đúng 12 chữ số."
    if value[:3] not in PROVINCE_CODES:
        return f"Mã tỉnh nơi đăng ký khai sinh '{value[:3]}' không tồn tại."
    century = 1900 + 100 * (int(value[3]) // 2)
    year = century + int(value[4:6])
    if year > (today or date.today()).year:
        return "Năm sinh trong số định danh nằm ở tương lai."
    return None
