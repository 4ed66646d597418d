"""Index the facet words (`search.filter_token`) with each document: the full-text index is
emptied and written again for every document (on SQLite the FTS5 table is recreated: its
contentless entries can only be removed with the text they were written with)."""

from django.db import migrations

FIELDS = ["id", "type", "number", "issuer", "subject", "signer_name", "original_name", "text",
          "year", "direction"]


def reindex(apps, schema_editor):
    from cchc.web.documents.search import _NOT_WORD, indexed_text

    connection = schema_editor.connection
    postgres = connection.vendor == "postgresql"
    with connection.cursor() as cur:
        if postgres:
            cur.execute("DELETE FROM documents_search")
        else:
            cur.execute("DROP TABLE documents_fts")
            cur.execute(
                "CREATE VIRTUAL TABLE documents_fts USING fts5("
                "body, content='', tokenize='unicode61 remove_diacritics 2')"
            )
        documents = apps.get_model("documents", "Document").objects.only(*FIELDS).order_by("id")
        for doc in documents.iterator(chunk_size=500):
            if postgres:
                cur.execute(
                    "INSERT INTO documents_search (document_id, vector) "
                    "VALUES (%s, to_tsvector('simple', %s))",
                    [doc.pk, _NOT_WORD.sub(" ", indexed_text(doc))],
                )
            else:
                cur.execute(
                    "INSERT INTO documents_fts (rowid, body) VALUES (%s, %s)",
                    [doc.pk, indexed_text(doc)],
                )


class Migration(migrations.Migration):
    dependencies = [("documents", "0004_search_facets_index")]
    operations = [migrations.RunPython(reindex, migrations.RunPython.noop)]
