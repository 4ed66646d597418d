from django.apps import AppConfig


class MailConfig(AppConfig):
    name = "cchc.web.mail"
    label = "mail"
    verbose_name = "Thư điện tử"

    def ready(self) -> None:
        from cchc.web.documents.signals import document_ingested

        document_ingested.connect(_mark_received_by_mail, dispatch_uid="mail.received_via")


def _mark_received_by_mail(sender, document, **_kwargs) -> None:
    """A document whose file came from a mail is received by e-mail (its storing transaction)."""
    from cchc.web.documents.models import Document, IngestJob
    from cchc.web.mail.models import MailAttachment

    if document.received_via or document.direction != Document.Direction.INCOMING:
        return
    open_jobs = [IngestJob.Status.QUEUED, IngestJob.Status.RUNNING]
    if MailAttachment.objects.filter(
        job__sha256=document.sha256, job__status__in=open_jobs
    ).exists():
        document.received_via = Document.ReceivedVia.EMAIL
        Document.objects.filter(pk=document.pk).update(received_via=document.received_via)
