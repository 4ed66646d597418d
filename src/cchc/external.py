"""The one place where cchc runs other programs (Tesseract, Poppler's pdfimages/pdftoppm,
OCRmyPDF, LibreOffice).

Each failure becomes a typed error whose message says what to install or do.
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


LIBREOFFICE_HINT = "cài bằng: sudo apt-get install libreoffice-writer-nogui"


def _require(
    program: str, path: str, purpose: str = "nhận dạng chữ (OCR)", hint: str = INSTALL_HINT
) -> str:
    found = shutil.which(program)
    if not found:
        raise MissingProgram(path, f"cần chương trình `{program}` để {purpose}; {hint}")
    return found


def _run(args: list[str], path: str, timeout: float) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(args, capture_output=True, env=_ENV, timeout=timeout, check=True)
    except subprocess.TimeoutExpired as exc:
        raise errors.CchcError(path, f"`{args[0]}` chạy quá {timeout:.0f} s, đã dừng") from exc
    except subprocess.CalledProcessError as exc:
        detail = exc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise errors.DamagedFile(
            path, f"`{Path(args[0]).name}` không xử lý được tệp: {detail[-1] if detail else exc}"
        ) from exc


def tesseract_languages(path: str = "tesseract") -> set[str]:
    exe = _require("tesseract", path)
    out = _run([exe, "--list-langs"], path, 30).stdout.decode()
    return {line.strip() for line in out.splitlines()[1:] if line.strip()}


def tesseract(
    image: Path, lang: str = "vie", dpi: int | None = None, timeout: float = 180
) -> tuple[str, float]:
    """(text, mean word confidence 0–1) of one page image, from one run of Tesseract (TSV)."""
    exe = _require("tesseract", str(image))
    if lang not in tesseract_languages(str(image)):
        raise MissingProgram(
            str(image), f"Tesseract chưa có mô hình ngôn ngữ `{lang}`; {INSTALL_HINT}"
        )
    args = [exe, str(image), "stdout", "-l", lang, "--psm", "3"]
    if dpi:
        args += ["--dpi", str(dpi)]
    tsv = _run([*args, "tsv"], str(image), timeout).stdout.decode("utf-8", "replace")
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
    exe = _require("pdfimages", str(pdf))
    out = _run([exe, "-list", str(pdf)], str(pdf), 60).stdout.decode()
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
    exe = _require("pdftoppm", str(pdf))
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
    )
    return prefix.with_suffix(".png")


def ocrmypdf_pdfa(source: Path, target: Path, lang: str = "vie", timeout: float = 1800) -> None:
    """A searchable PDF/A copy of a scan, deskewed, through OCRmyPDF; written to a temporary
    file first so that a failure never leaves half a file at `target`."""
    exe = _require("ocrmypdf", str(source))
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
        _run([*args, str(source), str(tmp)], str(source), timeout)
        tmp.replace(target)
    finally:
        tmp.unlink(missing_ok=True)


def docx_to_pdf(docx: Path, out_dir: Path, timeout: float = 180) -> Path:
    """`out_dir/<name>.pdf` from a .docx, through LibreOffice headless. A profile of its own in
    a temporary folder lets it run beside an open LibreOffice and other conversions."""
    exe = _require("soffice", str(docx), "chuyển .docx sang PDF", LIBREOFFICE_HINT)
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


POSTGRES_HINT = "cài bằng: sudo apt-get install postgresql-client (cùng phiên bản máy chủ)"


def _pg_env(db: dict) -> dict[str, str]:
    """libpq's environment for one Django database entry (the password never on the command
    line, where `ps` would show it)."""
    env = {**os.environ}
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if db.get(key):
            env[name] = str(db[key])
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return env


def _run_pg(args: list[str], db: dict, path: str, timeout: float) -> None:
    try:
        subprocess.run(args, capture_output=True, env=_pg_env(db), timeout=timeout, check=True)
    except subprocess.TimeoutExpired as exc:
        raise errors.CchcError(path, f"`{args[0]}` chạy quá {timeout:.0f} s, đã dừng") from exc
    except subprocess.CalledProcessError as exc:
        detail = exc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise errors.CchcError(
            path, f"`{Path(args[0]).name}` lỗi: {detail[-1] if detail else exc}"
        ) from exc


def pg_dump(db: dict, target: Path, timeout: float = 6 * 3600) -> None:
    """A consistent dump (one snapshot) of a PostgreSQL database in pg_dump's custom format."""
    exe = _require("pg_dump", str(target), "sao lưu PostgreSQL", POSTGRES_HINT)
    args = [exe, "--format=custom", "--no-owner", "--no-privileges", f"--file={target}"]
    _run_pg([*args, str(db["NAME"])], db, str(target), timeout)


def pg_restore(db: dict, source: Path, timeout: float = 6 * 3600) -> None:
    """Load a custom-format dump into the database in one transaction, dropping what is there:
    either all of it is restored or nothing changes."""
    exe = _require("pg_restore", str(source), "khôi phục PostgreSQL", POSTGRES_HINT)
    args = [
        exe,
        "--clean",
        "--if-exists",
        "--no-owner",
        "--no-privileges",
        "--single-transaction",
        "--exit-on-error",
        f"--dbname={db['NAME']}",
    ]
    _run_pg([*args, str(source)], db, str(source), timeout)
