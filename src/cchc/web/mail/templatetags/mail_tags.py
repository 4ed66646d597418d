"""`{% mail_origin doc %}`: the mail a document came in, on the document page."""

from __future__ import annotations

from django import template

from cchc.web.mail.models import ProcessedMail

register = template.Library()


@register.inclusion_tag("mail/origin.html")
def mail_origin(document) -> dict:
    """The sender, subject and date of the mails whose attachments became this document (one
    query, three columns)."""
    mails = list(
        ProcessedMail.objects.filter(attachments__job__document=document)
        .values("sender", "subject", "sent_at", "processed_at")
        .distinct()
        .order_by("processed_at")
    )
    return {"mails": mails}
