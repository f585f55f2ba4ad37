from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorktimeConfig(AppConfig):
    name = "motcua.worktime"
    label = "worktime"
    verbose_name = _("Thời gian làm việc")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from motcua.worktime.models import CalendarDay, UnitCalendar
        from motcua.worktime.services import forget_calendars

        for model in (CalendarDay, UnitCalendar):
            post_save.connect(forget_calendars, sender=model, dispatch_uid=f"forget-{model}")
            post_delete.connect(forget_calendars, sender=model, dispatch_uid=f"forget-del-{model}")
