"""Facet words (`search.filter_token`) in the full-text index. Writing them needs the whole index
rebuilt, which 0009 does (with the number words), so that a registry upgraded past both is
rebuilt once, not twice."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("documents", "0004_search_facets_index")]
    operations = []
