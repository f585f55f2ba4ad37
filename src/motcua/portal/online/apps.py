from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OnlineConfig(AppConfig):
    name = "motcua.portal.online"
    label = "online"
    verbose_name = _("Nộp hồ sơ trực tuyến")
