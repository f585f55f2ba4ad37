"""The rating form: one radio group per index (built from ratings.criteria) and a comment."""

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.ratings import criteria
from motcua.ratings.services import MAX_COMMENT

CHOICE_ERROR = _("Vui lòng chọn một trong các câu trả lời.")


class RatingForm(forms.Form):
    comment = forms.CharField(
        label=_("Ý kiến khác (không bắt buộc)"),
        required=False,
        max_length=MAX_COMMENT,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": MAX_COMMENT}),
        error_messages={"max_length": _("Ý kiến dài quá %(limit_value)d ký tự.")},
    )

    def __init__(self, *args, rating=None, **kwargs):
        initial = kwargs.pop("initial", None) or {}
        if rating is not None:
            initial = {**{c: str(p) for c, p in rating.scores.items()}, "comment": rating.comment}
        super().__init__(*args, initial=initial, **kwargs)
        for c in criteria.CRITERIA:
            self.fields[c.code] = forms.TypedChoiceField(
                label=c.question,
                choices=[(str(points), label) for points, label in c.options],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": CHOICE_ERROR, "invalid_choice": CHOICE_ERROR},
            )
        # Questions first, the comment last.
        self.order_fields([c.code for c in criteria.CRITERIA] + ["comment"])

    def questions(self):
        return [(c, self[c.code]) for c in criteria.CRITERIA]

    def scores(self) -> dict[str, int]:
        return {c.code: self.cleaned_data[c.code] for c in criteria.CRITERIA}
