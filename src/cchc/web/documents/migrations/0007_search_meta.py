"""A second, small full-text table on SQLite holding each document's short fields (type, number,
issuer, subject, signer, file name): search ranks relevance on it (see search.py)."""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        return
    from cchc.web.documents.search import indexed_meta

    with schema_editor.connection.cursor() as cur:
        cur.execute(
            "CREATE VIRTUAL TABLE documents_meta USING fts5("
            "meta, content='', tokenize='unicode61 remove_diacritics 2')"
        )
        fields = ("id", "type", "number", "issuer", "subject", "signer_name", "original_name")
        documents = apps.get_model("documents", "Document").objects.only(*fields)
        for doc in documents.order_by("id").iterator(chunk_size=2000):
            cur.execute(
                "INSERT INTO documents_meta (rowid, meta) VALUES (%s, %s)",
                [doc.pk, indexed_meta(doc)],
            )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        schema_editor.execute("DROP TABLE IF EXISTS documents_meta")


class Migration(migrations.Migration):
    dependencies = [("documents", "0006_incoming_counter")]
    operations = [migrations.RunPython(create, drop)]
