from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EresultsConfig(AppConfig):
    name = "motcua.eresults"
    label = "eresults"
    verbose_name = _("Kết quả điện tử")

    def ready(self):
        from motcua.eresults import checks, receivers  # noqa: F401 - deploy checks, signal
