"""Index the facet words (`search.filter_token`) with each document: the full-text index is
emptied and written again for every document (on SQLite the FTS5 table is recreated: its
contentless entries can only be removed with the text they were written with)."""

from django.db import migrations

FIELDS = ["id", "type", "number", "issuer", "subject", "signer_name", "original_name", "text",
          "year", "direction"]


def reindex(apps, schema_editor):
    from cchc.web.documents.search import index_document

    connection = schema_editor.connection
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("DELETE FROM documents_search")
        else:
            cur.execute("DROP TABLE documents_fts")
            cur.execute(
                "CREATE VIRTUAL TABLE documents_fts USING fts5("
                "body, content='', tokenize='unicode61 remove_diacritics 2')"
            )
    documents = apps.get_model("documents", "Document").objects.only(*FIELDS).order_by("id")
    for doc in documents.iterator(chunk_size=500):
        index_document(doc)


class Migration(migrations.Migration):
    dependencies = [("documents", "0004_search_facets_index")]
    operations = [migrations.RunPython(reindex, migrations.RunPython.noop)]
