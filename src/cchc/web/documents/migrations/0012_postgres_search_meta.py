"""PostgreSQL's counterpart of SQLite's documents_meta (0007): each document's short fields as a
small tsvector, which search ranks relevance on (see search._postgres_matches)."""

from django.db import migrations

FIELDS = ("id", "type", "number", "issuer", "subject", "signer_name", "original_name")


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return  # SQLite has its FTS5 documents_meta since 0007
    from cchc.web.documents.search import meta_vector_rows

    with schema_editor.connection.cursor() as cur:
        cur.execute(
            "CREATE TABLE documents_meta (document_id bigint PRIMARY KEY "
            "REFERENCES documents_document(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED, "
            "meta tsvector NOT NULL)"
        )
        documents = apps.get_model("documents", "Document").objects.only(*FIELDS).order_by("id")
        batch = []
        for doc in documents.iterator(chunk_size=5000):
            batch.append(doc)
            if len(batch) == 5000:
                meta_vector_rows(cur, batch)
                batch = []
        meta_vector_rows(cur, batch)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP TABLE IF EXISTS documents_meta")


class Migration(migrations.Migration):
    dependencies = [("documents", "0011_registry_order_indexes")]
    operations = [migrations.RunPython(create, drop)]
