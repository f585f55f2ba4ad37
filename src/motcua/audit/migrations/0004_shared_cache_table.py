"""The database cache table that throttle counts live in (settings.CACHES), so that `migrate`
creates it everywhere, test databases included. Nothing is created when the cache is Redis."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0003_unsealed_entries"),
    ]

    operations = [
        migrations.RunPython(create_cache_table, migrations.RunPython.noop),
    ]
