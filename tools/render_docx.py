"""Render a .docx to PDF and one PNG per page, to look at a generated draft.

    .venv/bin/python tools/render_docx.py bao-cao.docx out/

writes out/bao-cao.pdf and out/page-1.png, out/page-2.png, … (LibreOffice headless, then
Poppler's pdftoppm, both through cchc.external).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pypdfium2

from cchc import errors, external


def render(docx: Path, out_dir: Path, dpi: int = 100) -> list[Path]:
    pdf = external.docx_to_pdf(docx, out_dir)
    document = pypdfium2.PdfDocument(str(pdf))
    pages = len(document)
    document.close()
    return [pdf] + [external.render_pdf_page(pdf, n, dpi, out_dir) for n in range(1, pages + 1)]


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return errors.ExitCode.usage
    try:
        written = render(Path(sys.argv[1]), Path(sys.argv[2]))
    except errors.CchcError as exc:
        print(exc, file=sys.stderr)
        return exc.exit_code
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
