"""Issue 9: an apology moved the due date that on-time was judged against. Recompute the legal
due and the on-time / returned-early flags of the dossiers it could have touched."""

from django.db import migrations


def forwards(apps, schema_editor):
    from motcua.dossiers.deadlines import correct_on_time_flags

    correct_on_time_flags(apps.get_model("dossiers", "Dossier"), apps.get_model("dossiers", "DossierAction"))


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0002_pending_approval")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
