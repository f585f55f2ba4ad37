from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RatingsConfig(AppConfig):
    name = "motcua.ratings"
    verbose_name = _("Đánh giá mức độ hài lòng")

    def ready(self):
        from motcua.dossiers.signals import action_logged
        from motcua.ratings import receivers

        action_logged.connect(receivers.issue_token_with_result, dispatch_uid="ratings.token")
