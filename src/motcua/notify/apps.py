from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotifyConfig(AppConfig):
    name = "motcua.notify"
    label = "notify"
    verbose_name = _("Thông báo cho công dân")

    def ready(self):
        # Dossiers announce every step; the notices are written here, in the step's own
        # transaction (the outbox pattern), so dossiers never import notify.
        from motcua.dossiers.signals import action_logged
        from motcua.notify.services import RECEIVER_UID, notices_for_action

        action_logged.connect(notices_for_action, dispatch_uid=RECEIVER_UID)
