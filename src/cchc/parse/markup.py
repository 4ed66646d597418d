"""Turn crawled Markdown, Word tables and PDF text into plain lines.

The corpus is Markdown with header tables written as `|` lines, `**bold**`/`*italics*` spans and
hard line wraps. Lines wrapped inside one emphasis span are one logical line
(`**ỦY BAN NHÂN\\nDÂN**`,
`*Hà Nội, ngày 20\\ntháng 11 năm 2025*`), so they are joined; a lone `|` is a cell boundary and
becomes an empty line; rules (`-----`) go.
"""

from __future__ import annotations

import re

_LONE_WORD = re.compile(r"^\s*[A-ZĐÀ-Ỹ][^\W\d_]{0,6}\s*$")
_BULLET_MARKS = frozenset("-–+•")
_GLUED_SPANS = re.compile(r"\*\*\*\*(?=[A-ZĐÀ-Ỹ][a-zđà-ỹ])")
# Runs of rule characters inside a line separate header parts (`CHÍNH PHỦ_____ Số: 170/…`).
_RULE_RUN = re.compile(r"[_\-–=]{4,}")
_RULE = re.compile(r"^[ \t]*[-_=*]{3,}[ \t]*$", re.M)
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|])")
_CELL_SPLIT = re.compile(r"\s*\|\s*")
# How many wrapped lines one emphasis span may join.
_MAX_WRAPS = 6


def join_emphasis_wraps(lines: list[str]) -> list[str]:
    """Join a line that opens a `**…**` or `*…*` span with the lines up to the one closing it.

    Counting per line keeps one stray `*` from shifting every later pair in the document."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if "*" not in line:
            out.append(line)
            i += 1
            continue
        j = i
        while _open_span(line) and j + 1 < len(lines) and j - i < _MAX_WRAPS:
            nxt = lines[j + 1]
            if not nxt.strip() or nxt.strip() == "|":
                break
            line = line.rstrip() + " " + nxt.lstrip()
            j += 1
        if _open_span(line):
            out.append(lines[i])
            i += 1
            continue
        out.append(line)
        i = j + 1
    return out


def _open_span(line: str) -> bool:
    bold = line.count("**")
    single = line.count("*") - 2 * bold
    return bool(bold % 2 or single % 2)


def to_lines(text: str) -> list[str]:
    """Plain logical lines, without Markdown marks; cell boundaries are empty lines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    text = text.replace("\u200b", "").replace("\ufeff", "")
    # `**NGHỊ QUYẾT****Về việc …**`: two spans glued; `**BỘ Y T****Ế**`: one word cut in two.
    text = _GLUED_SPANS.sub("**\n**", text).replace("****", "")
    text = _RULE_RUN.sub("\n", text).replace("__", "")
    text = _ESCAPE.sub(r"\1", "\n".join(join_emphasis_wraps(text.split("\n"))))
    text = _RULE.sub("", text.replace("**", "").replace("*", ""))
    lines: list[str] = []
    for line in text.split("\n"):
        if "|" in line:
            for cell in _CELL_SPLIT.split(line):
                lines.append(cell.strip())
                lines.append("")
            continue
        lines.append(line.rstrip())
    return _collapse_blanks(_join_lone_words(lines))


def _join_lone_words(lines: list[str]) -> list[str]:
    """`Căn` alone on a line before `cứ Luật …`: a wrap right after the first word; a bullet
    mark alone before its text (`-` then `Tuyên truyền, phổ biến …`): a wrap right after it."""
    out: list[str] = []
    for line in lines:
        if (
            out
            and len(out[-1]) < 12
            and (
                (line[:1].islower() and _LONE_WORD.match(out[-1]))
                or (out[-1].strip() in _BULLET_MARKS and line.strip())
            )
        ):
            out[-1] = out[-1].strip() + " " + line.lstrip()
        else:
            out.append(line)
    return out


def _collapse_blanks(lines: list[str]) -> list[str]:
    out: list[str] = []
    for line in lines:
        if not line.strip():
            if out and out[-1] != "":
                out.append("")
            continue
        out.append(line)
    while out and out[-1] == "":
        out.pop()
    return out
