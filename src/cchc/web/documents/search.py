"""Full-text search that ignores diacritics and case, on SQLite FTS5 or PostgreSQL tsvector.

Both engines index the same folded text (`cchc.text.fold`: no diacritics, đ→d, lower case), so a
query typed without accents finds the accented text, and both read the query the same way: words
are all required, `"…"` is an exact phrase, `595/UBND-NC` is the phrase `595 ubnd nc`. Because
`fold` keeps one character per character, match offsets in the folded text highlight the original.
"""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from django.db import connection

from cchc.text import fold

_TOKEN = re.compile(r"\w+")
_NOT_WORD = re.compile(r"[\W_]+")
_LETTER = re.compile(r"[a-z]")
# Between two words of a phrase in a text: spaces, or the / and - of 59/2020/QH14.
_BETWEEN_WORDS = r"[\W_]+"
_QUOTED = re.compile(r'"([^"]*)"')
SNIPPET_CHARS = 220


@dataclass
class Query:
    """A parsed query: each term is a tuple of folded words that must appear in a row."""

    terms: list[tuple[str, ...]]
    numbers: dict[tuple[str, ...], str] = field(default_factory=dict)  # term → number word

    @classmethod
    def parse(cls, text: str) -> Query:
        terms: list[tuple[str, ...]] = []
        numbers: dict[tuple[str, ...], str] = {}
        for quoted in _QUOTED.findall(text):
            if words := tuple(_TOKEN.findall(fold(quoted))):
                terms.append(words)
        for chunk in _QUOTED.sub(" ", text).split():
            if words := tuple(_TOKEN.findall(fold(chunk))):
                terms.append(words)
                number = fold(chunk).strip(".,;:()")
                if _DOC_NUMBER.fullmatch(number) and _LETTER.search(number):
                    numbers[words] = number_token(number)
        return cls(terms, numbers)

    def __bool__(self) -> bool:
        return bool(self.terms)

    def fts5(self, filters: dict | None = None) -> str:
        """FTS5 syntax; a document number (`59/2020/QH14`) is looked up as its one index word,
        not as a phrase of words found in almost every document (59, 2020, qh14)."""
        terms = [self.numbers.get(words) or '"' + " ".join(words) + '"' for words in self.terms]
        terms += [filter_token(name, value) for name, value in (filters or {}).items() if value]
        return " ".join(terms)

    def tsquery(self) -> str:
        return " & ".join("(" + " <-> ".join(words) + ")" for words in self.terms)

    def highlight_pattern(self) -> re.Pattern:
        """Every term; the whole query as one phrase first, so `cai cach hanh chinh` marks the
        phrase rather than four scattered words."""
        phrases = [_BETWEEN_WORDS.join(map(re.escape, w)) for w in self.terms]
        alternatives = sorted(set(phrases), key=len, reverse=True)
        if len(phrases) > 1:
            alternatives.insert(0, r"[\s,.;:-]+".join(phrases))
        return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)")

    def phrase_pattern(self) -> re.Pattern:
        return re.compile(
            r"(?<!\w)"
            + r"[\s,.;:-]+".join(_BETWEEN_WORDS.join(map(re.escape, w)) for w in self.terms)
            + r"(?!\w)"
        )


def filter_token(name: str, value) -> str:
    """A word no text contains that stands for one facet value (`zzyear2024`), so that the
    FTS5 index itself narrows a search to a type, year, direction or issuer: much faster than
    checking each match's row when the filter keeps few of many matches."""
    word = _NOT_WORD.sub("", fold(str(value)))
    if len(word) > 24:  # issuers are long: a short digest stands for them
        word = hashlib.blake2b(word.encode(), digest_size=8).hexdigest()
    return f"zz{name}{word}"


def indexed_meta(doc) -> str:
    """The short fields a document is known by (type, number, issuer, subject, signer, file
    name), folded: relevance is ranked on these (see `_sqlite_matches`)."""
    meta = (doc.type, doc.number, doc.issuer, doc.subject, doc.signer_name, doc.original_name)
    return fold(" ".join(x or "" for x in meta))


# A document number or symbol as printed: 59/2020/QH14, 30/2020/NĐ-CP, 2820/QĐ-UBND (folded).
_DOC_NUMBER = re.compile(r"(?<![\w/])\d+(?:/[^\W_][\w.&-]*)+")


def number_token(folded: str) -> str:
    return "zn" + _NOT_WORD.sub("", folded)


def number_tokens(folded: str) -> list[str]:
    """One index word for each document number in a folded text (spaces around `/` closed)."""
    closed = re.sub(r"\s*/\s*", "/", folded)
    found = {number_token(m.group()) for m in _DOC_NUMBER.finditer(closed)}
    return sorted(t for t in found if _LETTER.search(t, 2))  # dates are not numbers


def indexed_text(doc) -> str:
    """What a document is found by: its metadata, its full text, folded, its facet words and
    a word for each document number in it."""
    facets = " ".join(
        filter_token(name, getattr(doc, name)) for name in FACETS if getattr(doc, name)
    )
    text = indexed_meta(doc) + "\n" + fold(doc.text)
    return text + "\n" + facets + " " + " ".join(number_tokens(text))


def indexed(doc) -> tuple[str, str]:
    """Both indexed forms, to hand to `index_document` as `previous` before a change."""
    return indexed_text(doc), indexed_meta(doc)


def rebuild_index(connection, documents) -> None:
    """Empty the full-text index and write every document in again (on SQLite the FTS5 table is
    recreated: contentless entries can only be removed with the text they were written with)."""
    postgres = connection.vendor == "postgresql"
    with connection.cursor() as cur:
        if postgres:
            cur.execute("DELETE FROM documents_search")
        else:
            cur.execute("DROP TABLE documents_fts")
            cur.execute(
                "CREATE VIRTUAL TABLE documents_fts USING fts5("
                "body, content='', tokenize='unicode61 remove_diacritics 2')"
            )
        for doc in documents.iterator(chunk_size=500):
            if postgres:
                cur.execute(
                    "INSERT INTO documents_search (document_id, vector) "
                    "VALUES (%s, to_tsvector('simple', %s))",
                    [doc.pk, _NOT_WORD.sub(" ", indexed_text(doc))],
                )
            else:
                cur.execute(
                    "INSERT INTO documents_fts (rowid, body) VALUES (%s, %s)",
                    [doc.pk, indexed_text(doc)],
                )


def index_document(doc, previous: tuple[str, str] | None = None) -> None:
    """Add a document to the index; `previous` is `indexed(doc)` before a change, which the
    contentless SQLite tables need to take the old entries out."""
    body, meta = indexed(doc)
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute(
                "INSERT INTO documents_search (document_id, vector) "
                "VALUES (%s, to_tsvector('simple', %s)) "
                "ON CONFLICT (document_id) DO UPDATE SET vector = EXCLUDED.vector",
                # words only: PostgreSQL's parser would read `412/ubnd-nv` as a path and a
                # hyphenated word, where FTS5 and the query see the words 412, ubnd, nv
                [doc.pk, _NOT_WORD.sub(" ", body)],
            )
            return
        if previous is not None:
            _sqlite_delete(cur, doc.pk, *previous)
        cur.execute("INSERT INTO documents_fts (rowid, body) VALUES (%s, %s)", [doc.pk, body])
        cur.execute("INSERT INTO documents_meta (rowid, meta) VALUES (%s, %s)", [doc.pk, meta])


def unindex_document(doc) -> None:
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("DELETE FROM documents_search WHERE document_id = %s", [doc.pk])
        else:
            _sqlite_delete(cur, doc.pk, *indexed(doc))


def _sqlite_delete(cur, pk: int, body: str, meta: str) -> None:
    cur.execute(
        "INSERT INTO documents_fts (documents_fts, rowid, body) VALUES ('delete', %s, %s)",
        [pk, body],
    )
    cur.execute(
        "INSERT INTO documents_meta (documents_meta, rowid, meta) VALUES ('delete', %s, %s)",
        [pk, meta],
    )


@dataclass
class Results:
    total: int
    ids: list[int]  # the page, in order
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    capped: bool = False  # more than CANDIDATES matched: total, order and facets are of those


FACETS = ("type", "year", "direction", "issuer")
# The most recent matches that relevance ranking, sorting and facets consider on SQLite. FTS5
# scores and counts every match, which for a word in most of 100,000 documents costs hundreds of
# milliseconds; the newest this many are found in a few (the index is read backwards and stops).
# A query matching fewer documents is answered exactly; a broader one says "more than …".
CANDIDATES = 1000


def search(
    query: Query,
    filters: dict,
    order: str = "relevance",
    page: int = 1,
    per_page: int = 20,
    facets: bool = True,
) -> Results:
    """Matching document ids for one page, the total, and facet counts under the filters."""
    if connection.vendor == "postgresql":
        rows, capped = _postgres_matches(query, filters)
    else:
        rows, capped = _sqlite_matches(query, filters)
    if order == "relevance":
        rows.sort(key=lambda r: (-r[1], -r[0]))
    else:  # newest first; documents without a date last
        rows.sort(key=lambda r: (r[2]["date"] is not None, r[2]["date"] or "", r[0]), reverse=True)
    start = (page - 1) * per_page
    counts: dict[str, list[tuple[str, int]]] = {}
    if facets and rows:
        for name in FACETS:
            per_value = Counter(r[2][name] for r in rows)
            top = sorted(per_value.items(), key=lambda vn: (-vn[1], str(vn[0])))
            counts[name] = [(value, n) for value, n in top if value not in ("", None)][:12]
    return Results(
        total=len(rows),
        ids=[r[0] for r in rows[start : start + per_page]],
        facets=counts,
        capped=capped,
    )


def _where(filters: dict) -> tuple[str, list]:
    where, params = [], []
    for name in FACETS:
        if filters.get(name):
            where.append(f"d.{name} = %s")
            params.append(filters[name])
    return "".join(f" AND {w}" for w in where), params


def _rows(cur) -> list[tuple[int, float, dict]]:
    """(id, score, facet fields and date) of each fetched match."""
    return [
        (row[0], row[1], dict(zip((*FACETS, "date"), row[2:], strict=True)))
        for row in cur.fetchall()
    ]


_FIELDS = ", ".join(f"d.{name}" for name in (*FACETS, "date"))


def _sqlite_matches(query: Query, filters: dict) -> tuple[list, bool]:
    """The newest CANDIDATES matches under the filters (id order follows ingestion), each with
    its score; the filters are words of the index (`filter_token`), the fields come from a
    covering index, not from rows holding the text."""
    match = query.fts5({k: v for k, v in filters.items() if k in FACETS})
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT m.rowid, 0, {_FIELDS} FROM documents_fts m "
            "JOIN documents_document d INDEXED BY documents_search_facets ON d.id = m.rowid "
            "WHERE documents_fts MATCH %s ORDER BY m.rowid DESC LIMIT %s",
            [match, CANDIDATES + 1],
        )
        rows = _rows(cur)
        capped = len(rows) > CANDIDATES
        rows = rows[:CANDIDATES]
        if rows:
            # Relevance is bm25 over the short fields (trích yếu, số, cơ quan…) of the
            # candidates from the oldest on; documents matching only in their body follow,
            # newest first. bm25 over the bodies would count every match of every word in the
            # whole index first (FTS5 needs it for the weights): 50–120 ms for a common phrase.
            cur.execute(
                "SELECT rowid, -rank FROM documents_meta WHERE documents_meta MATCH %s "
                "AND rowid >= %s",
                [query.fts5(), rows[-1][0]],
            )
            scores = dict(cur.fetchall())
            rows = [(pk, scores.get(pk, 0.0), fields) for pk, _, fields in rows]
    return rows, capped


def _postgres_matches(query: Query, filters: dict) -> tuple[list, bool]:
    """Every match under the filters, scored by ts_rank_cd (the GIN index finds them)."""
    where, params = _where(filters)
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT s.document_id, ts_rank_cd(s.vector, q), {_FIELDS} "
            "FROM documents_search s CROSS JOIN to_tsquery('simple', %s) q "
            f"JOIN documents_document d ON d.id = s.document_id WHERE s.vector @@ q{where}",
            [query.tsquery(), *params],
        )
        rows = _rows(cur)
    for _pk, _score, fields in rows:
        if fields["date"] is not None:
            fields["date"] = fields["date"].isoformat()
    return rows, False


def snippet(text: str, query: Query, width: int = SNIPPET_CHARS) -> str:
    """HTML: a window of `text` around the first match, every match inside it in <mark>."""
    pattern = query.highlight_pattern()
    folded, whole, first = _first_match(text, query, pattern)
    start = max(0, (first.start() if first else 0) - width // 3)
    if not whole:
        folded, _ = _fold_more(text, folded, start + width + 20)
    if start:
        space = folded.find(" ", start, start + 20)
        start = space + 1 if space >= 0 else start
    end = min(len(text), start + width)
    out, pos = [], start
    for m in pattern.finditer(folded, start, end):
        out.append(html.escape(text[pos : m.start()]))
        out.append(f"<mark>{html.escape(text[m.start() : m.end()])}</mark>")
        pos = m.end()
    out.append(html.escape(text[pos:end]))
    body = re.sub(r"\s+", " ", "".join(out)).strip()
    return ("… " if start else "") + body + (" …" if end < len(text) else "")


# A character no match can contain (matches are query words and the spaces and , . ; : - between
# them): no match crosses a cut made just after one.
_OUTSIDE = re.compile(r"[^\w\s,.;:-]")


def _first_match(text: str, query: Query, pattern: re.Pattern) -> tuple[str, bool, re.Match | None]:
    """The first match of the whole query as a phrase, else of any term, in `fold(text)`, and
    the folded text up to there. Folding a long document costs milliseconds, and most first
    matches are near the top, so the text is folded a piece at a time until the phrase turns up;
    `fold` gives one character for one, so the folded pieces line up with the text. Also says
    whether the folded text is the whole of it."""
    phrase = query.phrase_pattern()
    folded, searched = "", 0
    while True:
        folded, whole = _fold_more(text, folded, max(4096, 4 * len(folded)))
        if m := phrase.search(folded, searched):
            return folded, whole, m
        if whole:
            return folded, whole, pattern.search(folded)
        searched = len(folded)


def _fold_more(text: str, folded: str, at_least: int) -> tuple[str, bool]:
    """`folded` (a prefix of `fold(text)` that ends just after an _OUTSIDE character) extended to
    at least `at_least` characters, again cut just after such a character; and whether it is
    the whole `fold(text)`."""
    if len(folded) >= at_least or len(folded) == len(text):
        return folded, len(folded) == len(text)
    if not folded and not unicodedata.is_normalized("NFC", text):
        return fold(text), True  # pieces of a text that is not NFC need not fold as the whole
    stop = _OUTSIDE.search(text, at_least - 1)
    cut = stop.end() if stop else len(text)
    more = folded + fold(text[len(folded) : cut])
    if len(more) != cut or not (cut == len(text) or _OUTSIDE.match(more, cut - 1)):
        return fold(text), True
    return more, cut == len(text)
