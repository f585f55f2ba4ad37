"""Feedback shown inside other apps' pages without those apps importing this one."""

from django import template

from motcua.feedback.selectors import feedback_about_dossier

register = template.Library()


@register.inclusion_tag("feedback/_dossier_feedback.html", takes_context=True)
def dossier_feedback(context, dossier):
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"items": list(feedback_about_dossier(user, dossier)) if user else []}
