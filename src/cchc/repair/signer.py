"""The signer's title line of a scanned page, read against the closed list of titles.

Under the seal Tesseract misreads the title's capitals (`THÓ GÌÁM ĐỐC`, `KT GIÁM ĐỐC`,
`CHỦ NỊCH`); the parser, which knows titles by their spelling, then finds no signer block and
no name. A capital line of the block that is near one title of `data/signer_titles.yaml`, after
an optional `KT.`/`TM.`/`TL.`/`Q.`/`TUQ.` (its dot may be lost), is that title.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

import yaml
from rapidfuzz import fuzz, process

from cchc.text import fold

# How near (rapidfuzz ratio of the folded letters, 0–100) a line must be to a title.
TITLE_RATIO = 80
_PREFIX = re.compile(r"^(?P<p>KT|TM|TL|TUQ|Q)\s*[.,:]?\s+(?=\S)")


@cache
def _titles() -> dict[str, str]:
    data = yaml.safe_load(
        resources.files("cchc.data").joinpath("signer_titles.yaml").read_text("utf-8")
    )
    return {fold(t): t for t in data["titles"]}


def title_line(line: str) -> str | None:
    """`line` as the title it garbles (`THÓ GÌÁM ĐỐC` → `PHÓ GIÁM ĐỐC`, `KT GIÁM ĐỐC` →
    `KT. GIÁM ĐỐC`), or None when it is not a capital line near one title."""
    text = line.strip()
    letters = [c for c in text if c.isalpha()]
    if len(letters) < 4 or sum(c.isupper() for c in letters) < 0.8 * len(letters):
        return None
    prefix = ""
    m = _PREFIX.match(text)
    if m:
        prefix, text = m.group("p") + ". ", text[m.end() :]
    key = " ".join(re.sub(r"[^a-z ]", " ", fold(text)).split())
    if not key:
        return None
    titles = _titles()
    if key in titles:
        return prefix + titles[key]
    same = [t for t in titles if len(t.split()) == len(key.split())]
    found = process.extractOne(key, same, scorer=fuzz.ratio, score_cutoff=TITLE_RATIO)
    if not found:
        return None
    # Each word near its own: `PHÓ CHỦ TỊCH` is not `PHÓ CHỦ NHIỆM`.
    if any(fuzz.ratio(a, b) < 50 for a, b in zip(key.split(), found[0].split(), strict=True)):
        return None
    return prefix + titles[found[0]]
