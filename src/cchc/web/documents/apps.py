from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "cchc.web.documents"
    label = "documents"
    verbose_name = "Văn bản"

    def ready(self) -> None:
        from cchc.web.documents.signals import document_ingested

        document_ingested.connect(_index, dispatch_uid="documents.search")


def _index(sender, document, **_kwargs) -> None:
    """A stored document goes into the full-text index (in its storing transaction)."""
    from cchc.web.documents import search

    search.index_document(document)
