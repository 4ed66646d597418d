"""Search reads the facet fields and the date of every match (`documents.search.search`): from a
small covering index rather than from document rows that hold the whole text and parse."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("documents", "0003_incoming_number_index")]

    operations = [
        migrations.AddIndex(
            model_name="document",
            index=models.Index(
                fields=["id", "type", "year", "direction", "issuer", "date"],
                name="documents_search_facets",
            ),
        ),
    ]
