"""The registry filtered by issuer or type, newest first: without these, PostgreSQL walks the
newest-first index and skips every other issuer's rows (33,000 of them for one issuer at
258,000 documents: 140–200 ms, growing with the registry)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("documents", "0012_postgres_search_meta")]
    operations = [
        migrations.AddIndex(
            model_name="document",
            index=models.Index(fields=["issuer", "-date", "-id"], name="documents_registry_issuer"),
        ),
        migrations.AddIndex(
            model_name="document",
            index=models.Index(fields=["type", "-date", "-id"], name="documents_registry_type"),
        ),
    ]
