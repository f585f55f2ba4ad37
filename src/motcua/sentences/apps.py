from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SentencesConfig(AppConfig):
    name = "motcua.sentences"
    label = "sentences"
    verbose_name = _("Thi hành án hình sự tại cộng đồng")
