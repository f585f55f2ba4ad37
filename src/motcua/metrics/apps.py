from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MetricsConfig(AppConfig):
    name = "motcua.metrics"
    verbose_name = _("Chỉ số phục vụ")

    def ready(self):
        from motcua.metrics import (
            catalog_facts,
            receivers,  # noqa: F401 - counts every dossier step
            satisfaction,
        )

        satisfaction.connect()  # ratings and feedback, when installed
        catalog_facts.connect()  # the catalogue's online service and payment
