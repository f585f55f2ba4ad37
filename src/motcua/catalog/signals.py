"""Keep the pre-rendered public pages true when something they show is renamed: a handling
unit, a desk that serves one, or a domain."""

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from motcua.catalog.models import Domain, Procedure
from motcua.org.models import Desk, Unit


def _refresh(procedures) -> None:
    from motcua.catalog import static_pages

    codes = sorted(set(procedures.values_list("code", flat=True)))
    transaction.on_commit(lambda: [static_pages.refresh(code) for code in codes])


def _current():
    return Procedure.objects.filter(current_version__isnull=False)


@receiver(post_save, sender=Unit)
def _unit_saved(sender, instance, created, **kwargs):
    if not created:
        _refresh(_current().filter(current_version__handling_units=instance))


@receiver(post_save, sender=Desk)
def _desk_saved(sender, instance, created, **kwargs):
    units = instance.served_units.all()
    _refresh(_current().filter(current_version__handling_units__in=units))


@receiver(post_save, sender=Domain)
def _domain_saved(sender, instance, created, **kwargs):
    if not created:
        _refresh(_current().filter(current_version__domain=instance))
