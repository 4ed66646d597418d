from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "cchc.web.documents"
    label = "documents"
    verbose_name = "Văn bản"

    def ready(self) -> None:
        from django.db.models.signals import post_save, pre_save

        from cchc.web.documents import exchange
        from cchc.web.documents.signals import document_ingested

        document_ingested.connect(_index, dispatch_uid="documents.search")
        # edXML: attachments, revoke/update/replace, status messages as the workflow moves
        document_ingested.connect(exchange.on_ingested, dispatch_uid="documents.exchange")
        post_save.connect(
            exchange.document_saved, sender="documents.Document", dispatch_uid="exchange.doc"
        )
        post_save.connect(exchange.task_saved, sender="work.Task", dispatch_uid="exchange.task")
        post_save.connect(
            exchange.status_noted, sender="work.ProgressNote", dispatch_uid="exchange.note"
        )
        pre_save.connect(
            exchange.refuse_revoked, sender="work.Task", dispatch_uid="exchange.revoked"
        )


def _index(sender, document, **_kwargs) -> None:
    """A stored document goes into the full-text index (in its storing transaction)."""
    from cchc.web.documents import search

    search.index_document(document)
