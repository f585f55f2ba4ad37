from django.db import migrations


def seed(apps, schema_editor):
    # Every database starts with the national holiday table (2020–2035 and the official swaps).
    from motcua.worktime.services import holiday_rows

    CalendarDay = apps.get_model("worktime", "CalendarDay")
    CalendarDay.objects.bulk_create(
        CalendarDay(day=day, kind=kind, name=name, source=source)
        for day, (kind, name, source) in holiday_rows().items()
    )


class Migration(migrations.Migration):
    dependencies = [("worktime", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
