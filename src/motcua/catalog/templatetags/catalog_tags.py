from django import template

from motcua.catalog import display

register = template.Library()


@register.filter
def dong(amount):
    """20000 → "20.000 đồng"."""
    return display.money(amount)


@register.filter
def vndate(value):
    """A date (or ISO string) as dd/mm/yyyy."""
    return display.vn_date(value)


@register.simple_tag
def duration(value, unit):
    return display.duration(value, unit)


@register.filter
def channel_labels(codes):
    from motcua.catalog.models import Channel

    return [Channel(code).label for code in codes if code in Channel.values]
