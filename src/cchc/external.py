"""The one place where cchc runs the programs that read files (Tesseract, Poppler's
pdfimages/pdftoppm, OCRmyPDF, LibreOffice); PostgreSQL's backup tools live in `cchc.web.dbtools`.

Each failure becomes a typed error whose message says what to install or do. A program that
says the file is bad (its documented "cannot open input" status) gives `DamagedFile`; a crash
(killed by a signal, status above 128), a program that cannot be started, or any other status
gives `ProgramFailed`: the installation is at fault, not the user's file.
"""

from __future__ import annotations

import contextlib
import functools
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
    return set(_languages(exe, os.stat(exe).st_mtime_ns))


@functools.lru_cache(maxsize=8)
def _languages(exe: str, _mtime: int) -> frozenset[str]:
    """The models of one Tesseract binary, asked once per process (a second program per page
    was a tenth of the OCR time of a page)."""
    out = _run([exe, "--list-langs"], exe, 30).stdout.decode()
    return frozenset(line.strip() for line in out.splitlines()[1:] if line.strip())


def tesseract_tsv(
    image: Path,
    lang: str = "vie",
    dpi: int | None = None,
    timeout: float = 180,
    psm: int = 3,
    digits_only: bool = False,
) -> str:
    """Tesseract's TSV (word boxes, block/paragraph/line numbers, confidences) of one page
    image, from one run of Tesseract."""
    exe = require("tesseract", str(image))
    if lang not in tesseract_languages(str(image)):
        raise MissingProgram(
            str(image), f"Tesseract chưa có mô hình ngôn ngữ `{lang}`; {INSTALL_HINT}"
        )
    args = [exe, str(image), "stdout", "-l", lang, "--psm", str(psm)]
    if dpi:
        args += ["--dpi", str(dpi)]
    if digits_only:
        args += ["-c", "tessedit_char_whitelist=0123456789"]
    run = _run([*args, "tsv"], str(image), timeout, TESSERACT_BAD_IMAGE)
    return run.stdout.decode("utf-8", "replace")


def tesseract(
    image: Path, lang: str = "vie", dpi: int | None = None, timeout: float = 180
) -> tuple[str, float]:
    """(text, mean word confidence 0–1) of one page image, in Tesseract's own order."""
    return _tsv_text(tesseract_tsv(image, lang, dpi, timeout))


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
    return {page: dpi for page, (dpi, _colour) in pdf_images(pdf).items()}


def pdf_images(pdf: Path) -> dict[int, tuple[int, bool]]:
    """Page number → (resolution, in colour) of the largest image on it, from
    `pdfimages -list`."""
    exe = require("pdfimages", str(pdf))
    out = _run([exe, "-list", str(pdf)], str(pdf), 60, POPPLER_BAD_PDF).stdout.decode()
    found: dict[int, tuple[int, int, bool]] = {}
    for line in out.splitlines()[2:]:
        cells = line.split()
        if len(cells) < 14 or not cells[0].isdigit():
            continue
        page, width, colour, x_ppi = int(cells[0]), int(cells[3]), cells[5], cells[12]
        if re.fullmatch(r"\d+", x_ppi) and width > found.get(page, (0, 0, False))[0]:
            found[page] = (width, int(x_ppi), colour not in ("gray", "sep"))
    return {page: (dpi, colour) for page, (_w, dpi, colour) in found.items()}


def render_pdf_page(
    pdf: Path, page: int, dpi: int, out_dir: Path, colour: bool = False, fmt: str = "png"
) -> Path:
    """One page of a PDF at `dpi`: grey, or in colour; as PNG, or as PNM (`fmt="pnm"`, no
    compression: the fastest to write and read back)."""
    exe = require("pdftoppm", str(pdf))
    prefix = out_dir / f"page-{page}"
    options = [] if colour else ["-gray"]
    options += ["-png"] if fmt == "png" else []
    _run(
        [
            exe,
            "-r",
            str(dpi),
            *options,
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
    if fmt == "png":
        return prefix.with_suffix(".png")
    return prefix.with_suffix(".ppm" if colour else ".pgm")


def ocrmypdf_pdfa(
    source: Path, target: Path, lang: str = "vie", timeout: float = 1800, redo_text: bool = False
) -> None:
    """A searchable PDF/A copy of a scan, deskewed, through OCRmyPDF; written to a temporary
    file first so that a failure never leaves half a file at `target`.

    `redo_text`: the pages' text layer is the scanner's garbage (`cchc.textlayer`): every page
    is OCR'd again and the old layer dropped (`--force-ocr`) instead of kept (`--skip-text`).
    A PDF locked only by an owner password (printing and copying allowed, changes not) opens
    without a password: a copy without the lock is made first, which OCRmyPDF refuses to do."""
    exe = require("ocrmypdf", str(source))
    tmp = target.with_name(f".{target.name}.part")
    args = [
        exe,
        "-l",
        lang,
        "--deskew",
        "--force-ocr" if redo_text else "--skip-text",
        "--output-type",
        "pdfa",
        "--jobs",
        str(os.cpu_count() or 1),
        "--quiet",
    ]
    if source.suffix.lower() not in (".pdf",):
        args += ["--image-dpi", "300"]
    with tempfile.TemporaryDirectory(prefix="cchc-pdfa-") as work:
        unlocked = _without_owner_lock(source, Path(work))
        try:
            _run([*args, str(unlocked), str(tmp)], str(source), timeout, OCRMYPDF_BAD_INPUT)
            tmp.replace(target)
        finally:
            tmp.unlink(missing_ok=True)


def _without_owner_lock(source: Path, work: Path) -> Path:
    """`source`, or a copy of it without encryption when it is encrypted but opens without a
    password (an owner password only). A PDF that needs a password to open stays as it is:
    OCRmyPDF then says it is encrypted."""
    with source.open("rb") as fh:
        if fh.read(5) != b"%PDF-":
            return source
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    try:
        pdf = pdfium.PdfDocument(str(source))
    except pdfium.PdfiumError:
        return source
    try:
        if pdfium_c.FPDF_GetSecurityHandlerRevision(pdf.raw) == -1:
            return source  # not encrypted
        copy = work / "unlocked.pdf"
        pdf.save(str(copy), flags=pdfium_c.FPDF_REMOVE_SECURITY)
        return copy
    finally:
        pdf.close()


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
