"""Seed version 1 of the service index definition (domain spec section 6)."""

from django.db import migrations


def seed_v1(apps, schema_editor):
    from motcua.metrics.definition import _write, v1_draft

    IndexDefinition = apps.get_model("metrics", "IndexDefinition")
    if IndexDefinition.objects.filter(version=1).exists():
        return
    draft = v1_draft()
    definition = IndexDefinition.objects.create(
        version=1, name=draft.name, effective_from=draft.effective_from, note=draft.note
    )
    _write(
        definition,
        draft,
        apps.get_model("metrics", "Band"),
        apps.get_model("metrics", "IndicatorGroup"),
        apps.get_model("metrics", "Indicator"),
    )


class Migration(migrations.Migration):
    dependencies = [("metrics", "0001_initial")]

    operations = [migrations.RunPython(seed_v1, migrations.RunPython.noop)]
