"""The next số đến (`ingest.next_incoming_number`) reads the highest number of the year: with an
index on `incoming_number` SQLite walks it from the top instead of scanning and sorting the whole
registry on every ingest."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("documents", "0002_search_index")]

    operations = [
        migrations.AddIndex(
            model_name="document",
            index=models.Index(fields=["incoming_number"], name="documents_d_incomin_38b4d5_idx"),
        ),
    ]
