"""Template tags other apps' pages load to show ratings without importing this app:
the tracking page (`{% rating_link dossier %}`, only where the secret was given) and the staff
dossier page (`{% staff_rating dossier %}`)."""

from django import template

from motcua.ratings import criteria
from motcua.ratings.models import Rating
from motcua.ratings.tokens import rating_path_for

register = template.Library()


@register.inclusion_tag("ratings/_tracking_link.html")
def rating_link(dossier):
    rating = Rating.objects.filter(dossier=dossier).first()
    return {"path": rating_path_for(dossier), "rating": rating}


@register.inclusion_tag("ratings/_staff_card.html")
def staff_rating(dossier):
    # The dossier page is already scoped to the staff member's subtree.
    rating = Rating.objects.select_related("desk").filter(dossier=dossier).first()
    return {"rating": rating, "max_total": criteria.MAX_TOTAL}
