"""The registry's orders (newest first, by number) as indexes: a page deep in a million
documents is found by walking one of them alone (see views.IdPaginator)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("documents", "0010_ingest_job_attempts")]
    operations = [
        migrations.AddIndex(
            model_name="document",
            index=models.Index(fields=["-date", "-id"], name="documents_registry_order"),
        ),
        migrations.AddIndex(
            model_name="document",
            index=models.Index(fields=["number_key", "id"], name="documents_registry_number"),
        ),
    ]
