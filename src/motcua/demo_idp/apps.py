from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoIdpConfig(AppConfig):
    name = "motcua.demo_idp"
    label = "demo_idp"
    verbose_name = _("Máy chủ định danh mô phỏng")

    def ready(self):
        from motcua.demo_idp import checks  # noqa: F401 - registers the deploy check
