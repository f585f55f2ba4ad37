from django.db import migrations, models

from motcua.dossiers.models import search_text_of

INDEX = "dossiers_dossier_search_trgm"


def fill(apps, schema_editor):
    Dossier = apps.get_model("dossiers", "Dossier")
    batch = []
    for row in Dossier.objects.order_by("pk").iterator(chunk_size=2000):
        row.search_text = search_text_of(row)
        batch.append(row)
        if len(batch) == 2000:
            Dossier.objects.bulk_update(batch, ["search_text"])
            batch = []
    Dossier.objects.bulk_update(batch, ["search_text"])


def trigram_index(apps, schema_editor):
    # A search word may sit anywhere in the column (LIKE '%word%'): only a trigram index serves
    # that. SQLite has none and scans, which is fine at a commune's size.
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON dossiers_dossier "
        "USING gin (search_text gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0010_payment_separate_from_fee"),
    ]

    operations = [
        migrations.AddField(
            model_name="dossier",
            name="search_text",
            field=models.TextField(default="", editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(trigram_index, drop_trigram_index),
        migrations.AddIndex(
            model_name="dossier",
            index=models.Index(fields=["applicant_id_number"], name="dossier_applicant_id"),
        ),
        migrations.AddIndex(
            model_name="dossier",
            index=models.Index(fields=["applicant_phone"], name="dossier_applicant_phone"),
        ),
        migrations.AddIndex(
            model_name="dossier",
            index=models.Index(fields=["proxy_id_number"], name="dossier_proxy_id"),
        ),
        migrations.AddIndex(
            model_name="dossier",
            index=models.Index(fields=["applicant_org_code"], name="dossier_applicant_org"),
        ),
    ]
