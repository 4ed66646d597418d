"""The full-text index: an FTS5 table on SQLite, a tsvector table with a GIN index on PostgreSQL.
Both hold the folded text written by `documents.search.index_document`."""

from django.db import migrations

SQLITE = (
    "CREATE VIRTUAL TABLE documents_fts USING fts5("
    "body, content='', tokenize='unicode61 remove_diacritics 2')"
)
POSTGRES = [
    "CREATE TABLE documents_search (document_id bigint PRIMARY KEY "
    "REFERENCES documents_document(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED, "
    "vector tsvector NOT NULL)",
    "CREATE INDEX documents_search_vector ON documents_search USING GIN (vector)",
]


def create(apps, schema_editor):
    statements = POSTGRES if schema_editor.connection.vendor == "postgresql" else [SQLITE]
    for sql in statements:
        schema_editor.execute(sql)


def drop(apps, schema_editor):
    table = (
        "documents_search" if schema_editor.connection.vendor == "postgresql" else "documents_fts"
    )
    schema_editor.execute(f"DROP TABLE IF EXISTS {table}")


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
