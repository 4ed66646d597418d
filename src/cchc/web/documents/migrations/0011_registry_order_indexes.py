"""The registry's orders (newest first, by number) as indexes: a page deep in a million
documents is found by walking one of them alone (see views.IdPaginator)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("documents", "0010_ingest_job_attempts")]
    operations = [
        # the sổ đến order is now by direction first (views.SORTS): the other index serves it
        migrations.RemoveIndex(model_name="document", name="documents_d_receive_8fef78_idx"),
        migrations.AddIndex(
            model_name="document",
            index=models.Index(fields=["-date", "-id"], name="documents_registry_order"),
        ),
        migrations.AddIndex(
            model_name="document",
            index=models.Index(fields=["number_key", "id"], name="documents_registry_number"),
        ),
    ]
