"""The one place where cchc runs the programs that read files (Tesseract, Poppler's
pdfimages/pdftoppm, OCRmyPDF, LibreOffice); PostgreSQL's backup tools live in `cchc.web.dbtools`.

Each failure becomes a typed error whose message says what to install or do. A program that
says the file is bad (its documented "cannot open input" status) gives `DamagedFile`; a crash
(killed by a signal, status above 128), a program that cannot be started, or any other status
gives `ProgramFailed`: the installation is at fault, not the user's file.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from cchc import errors

# Tesseract's own threads are slower than one page per core (measured in the OCR issue).
_ENV = {**os.environ, "OMP_THREAD_LIMIT": "1"}
INSTALL_HINT = (
    "cài bằng: sudo apt-get install tesseract-ocr tesseract-ocr-vie poppler-utils ocrmypdf"
)


class MissingProgram(errors.CchcError):
    exit_code = errors.ExitCode.missing_dependency


# Exit statuses by which each program says the input is bad: Tesseract 1 (cannot read the
# image), Poppler 1 (error opening the PDF), OCRmyPDF 2 (input_file), 8 (encrypted_pdf).
TESSERACT_BAD_IMAGE = frozenset({1})
POPPLER_BAD_PDF = frozenset({1})
OCRMYPDF_BAD_INPUT = frozenset({2, 8})
LIBREOFFICE_HINT = "cài bằng: sudo apt-get install libreoffice-writer-nogui"


def require(
    program: str, path: str, purpose: str = "nhận dạng chữ (OCR)", hint: str = INSTALL_HINT
) -> str:
    found = shutil.which(program)
    if not found:
        raise MissingProgram(path, f"cần chương trình `{program}` để {purpose}; {hint}")
    return found


def _run(
    args: list[str], path: str, timeout: float, file_statuses: frozenset[int] = frozenset()
) -> subprocess.CompletedProcess:
    """Run a program; `file_statuses` are the exit statuses by which it says the input file is
    unreadable (any other failure is the program's own)."""
    name = Path(args[0]).name
    try:
        return subprocess.run(args, capture_output=True, env=_ENV, timeout=timeout, check=True)
    except subprocess.TimeoutExpired as exc:
        raise errors.CchcError(path, f"`{name}` chạy quá {timeout:.0f} s, đã dừng") from exc
    except OSError as exc:
        raise errors.ProgramFailed(
            path, f"không chạy được `{name}` ({exc.strerror or exc}); hãy kiểm tra bản cài đặt"
        ) from exc
    except subprocess.CalledProcessError as exc:
        lines = exc.stderr.decode("utf-8", "replace").strip().splitlines()
        detail = lines[-1] if lines else f"mã thoát {exc.returncode}"
        if exc.returncode in file_statuses:
            raise errors.DamagedFile(path, f"`{name}` không xử lý được tệp: {detail}") from exc
        how = (
            f"bị dừng đột ngột (mã {exc.returncode})"
            if exc.returncode < 0 or exc.returncode > 128
            else f"báo lỗi: {detail}"
        )
        raise errors.ProgramFailed(
            path,
            f"chương trình `{name}` {how}; lỗi do chương trình, không phải do tệp: hãy kiểm tra "
            "bản cài đặt của chương trình rồi chạy lại",
        ) from exc


def tesseract_languages(path: str = "tesseract") -> set[str]:
    exe = require("tesseract", path)
    out = _run([exe, "--list-langs"], path, 30).stdout.decode()
    return {line.strip() for line in out.splitlines()[1:] if line.strip()}


def tesseract(
    image: Path, lang: str = "vie", dpi: int | None = None, timeout: float = 180
) -> tuple[str, float]:
    """(text, mean word confidence 0–1) of one page image, from one run of Tesseract (TSV)."""
    exe = require("tesseract", str(image))
    if lang not in tesseract_languages(str(image)):
        raise MissingProgram(
            str(image), f"Tesseract chưa có mô hình ngôn ngữ `{lang}`; {INSTALL_HINT}"
        )
    args = [exe, str(image), "stdout", "-l", lang, "--psm", "3"]
    if dpi:
        args += ["--dpi", str(dpi)]
    run = _run([*args, "tsv"], str(image), timeout, TESSERACT_BAD_IMAGE)
    tsv = run.stdout.decode("utf-8", "replace")
    return _tsv_text(tsv)


def _tsv_text(tsv: str) -> tuple[str, float]:
    """Lines of words from Tesseract's TSV (level 5 rows), a blank line between paragraphs."""
    lines: list[str] = []
    confidences: list[float] = []
    current: tuple[str, ...] | None = None
    paragraph: tuple[str, ...] | None = None
    for row in tsv.splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) != 12 or cells[0] != "5" or not cells[11].strip():
            continue
        par, line = tuple(cells[2:4]), tuple(cells[2:5])
        if line != current:
            if paragraph is not None and par != paragraph:
                lines.append("")
            lines.append(cells[11])
            current, paragraph = line, par
        else:
            lines[-1] += " " + cells[11]
        with contextlib.suppress(ValueError):
            confidences.append(max(float(cells[10]), 0.0))
    confidence = sum(confidences) / len(confidences) / 100 if confidences else 0.0
    return "\n".join(lines) + "\n", confidence


def pdf_image_dpi(pdf: Path) -> dict[int, int]:
    """Page number → resolution of the largest image on it, from `pdfimages -list`."""
    exe = require("pdfimages", str(pdf))
    out = _run([exe, "-list", str(pdf)], str(pdf), 60, POPPLER_BAD_PDF).stdout.decode()
    dpi: dict[int, tuple[int, int]] = {}
    for line in out.splitlines()[2:]:
        cells = line.split()
        if len(cells) < 14 or not cells[0].isdigit():
            continue
        page, width, x_ppi = int(cells[0]), int(cells[3]), cells[12]
        if re.fullmatch(r"\d+", x_ppi) and width > dpi.get(page, (0, 0))[0]:
            dpi[page] = (width, int(x_ppi))
    return {page: value for page, (_w, value) in dpi.items()}


def render_pdf_page(pdf: Path, page: int, dpi: int, out_dir: Path) -> Path:
    """One page of a PDF as a grey PNG at `dpi`."""
    exe = require("pdftoppm", str(pdf))
    prefix = out_dir / f"page-{page}"
    _run(
        [
            exe,
            "-r",
            str(dpi),
            "-gray",
            "-png",
            "-f",
            str(page),
            "-l",
            str(page),
            "-singlefile",
            str(pdf),
            str(prefix),
        ],
        str(pdf),
        120,
        POPPLER_BAD_PDF,
    )
    return prefix.with_suffix(".png")


def ocrmypdf_pdfa(source: Path, target: Path, lang: str = "vie", timeout: float = 1800) -> None:
    """A searchable PDF/A copy of a scan, deskewed, through OCRmyPDF; written to a temporary
    file first so that a failure never leaves half a file at `target`."""
    exe = require("ocrmypdf", str(source))
    tmp = target.with_name(f".{target.name}.part")
    args = [
        exe,
        "-l",
        lang,
        "--deskew",
        "--skip-text",
        "--output-type",
        "pdfa",
        "--jobs",
        str(os.cpu_count() or 1),
        "--quiet",
    ]
    if source.suffix.lower() not in (".pdf",):
        args += ["--image-dpi", "300"]
    try:
        _run([*args, str(source), str(tmp)], str(source), timeout, OCRMYPDF_BAD_INPUT)
        tmp.replace(target)
    finally:
        tmp.unlink(missing_ok=True)


def docx_to_pdf(docx: Path, out_dir: Path, timeout: float = 180) -> Path:
    """`out_dir/<name>.pdf` from a .docx, through LibreOffice headless. A profile of its own in
    a temporary folder lets it run beside an open LibreOffice and other conversions."""
    exe = require("soffice", str(docx), "chuyển .docx sang PDF", LIBREOFFICE_HINT)
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="cchc-soffice-") as profile:
        args = [
            exe,
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out_dir),
            str(docx),
        ]
        _run(args, str(docx), timeout)
    pdf = out_dir / f"{docx.stem}.pdf"
    if not pdf.is_file():  # soffice exits 0 even when it could not read the file
        raise errors.DamagedFile(str(docx), "LibreOffice không chuyển được tệp sang PDF")
    return pdf
