"""Index the facet words (0005) and a word for each document number (`search.number_tokens`):
the full-text index is written again for every document (`search.rebuild_index`)."""

from django.db import migrations

FIELDS = ["id", "type", "number", "issuer", "subject", "signer_name", "original_name", "text",
          "year", "direction"]


def reindex(apps, schema_editor):
    from cchc.web.documents.search import rebuild_index

    documents = apps.get_model("documents", "Document").objects.only(*FIELDS).order_by("id")
    rebuild_index(schema_editor.connection, documents)


class Migration(migrations.Migration):
    dependencies = [("documents", "0008_board_and_registry_indexes")]
    operations = [migrations.RunPython(reindex, migrations.RunPython.noop)]
