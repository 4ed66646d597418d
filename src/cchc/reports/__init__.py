"""Report drafts: official documents in the Nghị định 30/2020/NĐ-CP layout (.docx) and their
tables (.xlsx). Pure Python, no Django."""

from cchc.reports.drafts import Block, Draft, Heading, Paragraph, Table, write_docx, write_xlsx

__all__ = ["Block", "Draft", "Heading", "Paragraph", "Table", "write_docx", "write_xlsx"]
