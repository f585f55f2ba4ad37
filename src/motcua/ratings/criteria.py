"""The rating form's questions, their answers and points, and the bands: the one place they live.

Basis: Circular 01/2018/TT-VPCP Arts. 12–15 and Decree 61/2018 Arts. 27–32 (domain.md §5): the
citizen's evaluation covers time against the deadline, the number of contacts needed, the
accuracy of the published information, staff attitude and the lawfulness of the result and fees;
it is scored on nine indices of 2/1/0 points (so 0–18 a rating), and a unit's score is banded
Xuất sắc ≥15, Tốt 12–<15, Khá 9–<12, Trung bình 6–<9, Yếu <6.

How the five criteria become nine indices, and the wording of each question and answer, is our
[decision] (the circular's own wording was not at hand):

  criterion                          index  code
  time against the deadline          1      thoi_gian
  contacts needed                    2      so_lan_lien_he     (times back to complete the dossier)
                                     3      so_noi_lien_he     (offices visited for one procedure)
  accuracy of published information  4      cong_khai          (procedure's published facts)
                                     5      giay_to            (papers asked beyond the list)
  staff attitude                     6      thai_do            (when guiding and receiving)
                                     7      nhung_nhieu        (obstruction, requests for money)
  lawfulness of result and fees      8      ket_qua
                                     9      phi_le_phi

Every rating stores the CRITERIA_VERSION it was given under, so a later change of wording or
mapping does not silently re-read old answers.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

CRITERIA_VERSION = "tt01-2018-v1"
MAX_POINTS = 2  # per index


@dataclass(frozen=True)
class Criterion:
    code: str
    number: int
    group: str
    question: str
    options: tuple[tuple[int, str], ...]  # (points, answer), best first

    def answer(self, points: int) -> str:
        return next((str(label) for value, label in self.options if value == points), "")


GROUP_TIME = _("Thời gian giải quyết")
GROUP_CONTACTS = _("Số lần, số nơi phải liên hệ")
GROUP_INFORMATION = _("Thông tin được công khai")
GROUP_ATTITUDE = _("Thái độ của cán bộ")
GROUP_LAWFUL = _("Kết quả, phí và lệ phí đúng quy định")

CRITERIA: tuple[Criterion, ...] = (
    Criterion(
        "thoi_gian",
        1,
        GROUP_TIME,
        _("Thời gian giải quyết so với thời hạn hẹn trả kết quả"),
        ((2, _("Sớm hơn hẹn")), (1, _("Đúng hẹn")), (0, _("Muộn hơn hẹn"))),
    ),
    Criterion(
        "so_lan_lien_he",
        2,
        GROUP_CONTACTS,
        _("Số lần phải đi lại, liên hệ để bổ sung, hoàn thiện hồ sơ"),
        ((2, _("Không lần nào hoặc 1 lần")), (1, _("2 lần")), (0, _("Từ 3 lần trở lên"))),
    ),
    Criterion(
        "so_noi_lien_he",
        3,
        GROUP_CONTACTS,
        _("Số cơ quan, đơn vị phải đến liên hệ để làm xong thủ tục"),
        ((2, _("Chỉ bộ phận một cửa")), (1, _("2 nơi")), (0, _("Từ 3 nơi trở lên"))),
    ),
    Criterion(
        "cong_khai",
        4,
        GROUP_INFORMATION,
        _("Thông tin công khai về thủ tục (giấy tờ, thời hạn, phí) có đầy đủ, chính xác không?"),
        (
            (2, _("Đầy đủ, chính xác")),
            (1, _("Có công khai nhưng chưa đầy đủ")),
            (0, _("Không công khai hoặc không chính xác")),
        ),
    ),
    Criterion(
        "giay_to",
        5,
        GROUP_INFORMATION,
        _("Ông/bà có bị yêu cầu nộp thêm giấy tờ ngoài thành phần hồ sơ đã công khai không?"),
        (
            (2, _("Không")),
            (1, _("Có, và được giải thích rõ lý do")),
            (0, _("Có, không được giải thích")),
        ),
    ),
    Criterion(
        "thai_do",
        6,
        GROUP_ATTITUDE,
        _("Thái độ của cán bộ khi hướng dẫn, tiếp nhận hồ sơ"),
        ((2, _("Lịch sự, tận tình")), (1, _("Bình thường")), (0, _("Thiếu lịch sự, khó chịu"))),
    ),
    Criterion(
        "nhung_nhieu",
        7,
        GROUP_ATTITUDE,
        _("Cán bộ có gây khó khăn, phiền hà hoặc gợi ý nộp thêm tiền không?"),
        (
            (2, _("Không")),
            (1, _("Có gây khó khăn, phiền hà")),
            (0, _("Có gợi ý, đòi nộp thêm tiền")),
        ),
    ),
    Criterion(
        "ket_qua",
        8,
        GROUP_LAWFUL,
        _("Kết quả giải quyết có đúng quy định, chính xác không?"),
        (
            (2, _("Đúng quy định, chính xác")),
            (1, _("Phải sửa lại do sai sót của cơ quan")),
            (0, _("Không đúng quy định")),
        ),
    ),
    Criterion(
        "phi_le_phi",
        9,
        GROUP_LAWFUL,
        _("Phí, lệ phí có thu đúng mức công khai và có biên lai không?"),
        (
            (2, _("Đúng mức và có biên lai, hoặc không phải nộp")),
            (1, _("Đúng mức nhưng không có biên lai")),
            (0, _("Thu cao hơn hoặc thu thêm khoản ngoài quy định")),
        ),
    ),
)

BY_CODE = {c.code: c for c in CRITERIA}
MAX_TOTAL = MAX_POINTS * len(CRITERIA)  # 18

# (lowest score of the band, band): a score falls in the first band whose floor it reaches.
BANDS: tuple[tuple[int, str, str], ...] = (
    (15, "xuat_sac", _("Xuất sắc")),
    (12, "tot", _("Tốt")),
    (9, "kha", _("Khá")),
    (6, "trung_binh", _("Trung bình")),
    (0, "yeu", _("Yếu")),
)


def band(score) -> tuple[str, str]:
    """(code, label) of a rating's total or a unit's average score (0–18)."""
    for floor, code, label in BANDS:
        if score >= floor:
            return code, str(label)
    return BANDS[-1][1], str(BANDS[-1][2])


def average(total: int, count: int) -> Decimal | None:
    """A unit's score: the mean of its ratings' totals, to two decimals (half up)."""
    if not count:
        return None
    return (Decimal(total) / Decimal(count)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def clean_scores(raw: dict) -> dict[str, int]:
    """{code: points} with every index answered by one of its options, else ValueError."""
    scores = {}
    for criterion in CRITERIA:
        value = raw.get(criterion.code)
        allowed = {points for points, _label in criterion.options}
        if isinstance(value, bool) or not isinstance(value, int) or value not in allowed:
            raise ValueError(criterion.code)
        scores[criterion.code] = value
    if set(raw) - set(BY_CODE):
        raise ValueError(sorted(set(raw) - set(BY_CODE))[0])
    return scores
