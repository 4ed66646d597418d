"""Full-text search that ignores diacritics and case, on SQLite FTS5 or PostgreSQL tsvector.

Both engines index the same folded text (`cchc.text.fold`: no diacritics, đ→d, lower case), so a
query typed without accents finds the accented text, and both read the query the same way: words
are all required, `"…"` is an exact phrase, `595/UBND-NC` is the phrase `595 ubnd nc`. Because
`fold` keeps one character per character, match offsets in the folded text highlight the original.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from django.db import connection

from cchc.text import fold

_TOKEN = re.compile(r"\w+")
_NOT_WORD = re.compile(r"[\W_]+")
_QUOTED = re.compile(r'"([^"]*)"')
SNIPPET_CHARS = 220


@dataclass
class Query:
    """A parsed query: each term is a tuple of folded words that must appear in a row."""

    terms: list[tuple[str, ...]]

    @classmethod
    def parse(cls, text: str) -> Query:
        terms: list[tuple[str, ...]] = []
        for quoted in _QUOTED.findall(text):
            if words := tuple(_TOKEN.findall(fold(quoted))):
                terms.append(words)
        for chunk in _QUOTED.sub(" ", text).split():
            if words := tuple(_TOKEN.findall(fold(chunk))):
                terms.append(words)
        return cls(terms)

    def __bool__(self) -> bool:
        return bool(self.terms)

    def fts5(self) -> str:
        return " ".join('"' + " ".join(words) + '"' for words in self.terms)

    def tsquery(self) -> str:
        return " & ".join("(" + " <-> ".join(words) + ")" for words in self.terms)

    def highlight_pattern(self) -> re.Pattern:
        """Every term; the whole query as one phrase first, so `cai cach hanh chinh` marks the
        phrase rather than four scattered words."""
        phrases = [r"\s+".join(map(re.escape, w)) for w in self.terms]
        alternatives = sorted(set(phrases), key=len, reverse=True)
        if len(phrases) > 1:
            alternatives.insert(0, r"[\s,.;:-]+".join(phrases))
        return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)")

    def phrase_pattern(self) -> re.Pattern:
        return re.compile(
            r"(?<!\w)"
            + r"[\s,.;:-]+".join(r"\s+".join(map(re.escape, w)) for w in self.terms)
            + r"(?!\w)"
        )


def indexed_text(doc) -> str:
    """What a document is found by: its metadata and its full text, folded."""
    meta = " ".join(
        x or ""
        for x in (doc.type, doc.number, doc.issuer, doc.subject, doc.signer_name, doc.original_name)
    )
    return fold(meta + "\n" + doc.text)


def index_document(doc, previous: str | None = None) -> None:
    """Add a document to the index; `previous` is its indexed text before a change, which the
    contentless SQLite index needs to take the old entry out."""
    text = indexed_text(doc)
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute(
                "INSERT INTO documents_search (document_id, vector) "
                "VALUES (%s, to_tsvector('simple', %s)) "
                "ON CONFLICT (document_id) DO UPDATE SET vector = EXCLUDED.vector",
                # words only: PostgreSQL's parser would read `412/ubnd-nv` as a path and a
                # hyphenated word, where FTS5 and the query see the words 412, ubnd, nv
                [doc.pk, _NOT_WORD.sub(" ", text)],
            )
            return
        if previous is not None:
            _sqlite_delete(cur, doc.pk, previous)
        cur.execute("INSERT INTO documents_fts (rowid, body) VALUES (%s, %s)", [doc.pk, text])


def unindex_document(doc) -> None:
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("DELETE FROM documents_search WHERE document_id = %s", [doc.pk])
        else:
            _sqlite_delete(cur, doc.pk, indexed_text(doc))


def _sqlite_delete(cur, pk: int, indexed: str) -> None:
    cur.execute(
        "INSERT INTO documents_fts (documents_fts, rowid, body) VALUES ('delete', %s, %s)",
        [pk, indexed],
    )


@dataclass
class Results:
    total: int
    ids: list[int]  # the page, in order
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)


FACETS = ("type", "year", "direction", "issuer")


def search(
    query: Query,
    filters: dict,
    order: str = "relevance",
    page: int = 1,
    per_page: int = 20,
    facets: bool = True,
) -> Results:
    """Matching document ids for one page, the total, and facet counts under the filters."""
    postgres = connection.vendor == "postgresql"
    if postgres:
        match_sql = (
            "SELECT document_id AS id, ts_rank_cd(vector, q) AS score "
            "FROM documents_search, to_tsquery('simple', %s) q WHERE vector @@ q"
        )
        match_params = [query.tsquery()]
        best = "m.score DESC"
    else:
        match_sql = (
            "SELECT rowid AS id, rank AS score FROM documents_fts WHERE documents_fts MATCH %s"
        )
        match_params = [query.fts5()]
        best = "m.score"
    where, params = ["1=1"], []
    for name in FACETS:
        if filters.get(name):
            where.append(f"d.{name} = %s")
            params.append(filters[name])
    table = "documents_document d"
    if not postgres:  # each match's few short fields from a covering index, not from its row
        table += " INDEXED BY documents_search_facets"  # (which holds the text and the parse)
    base = f"FROM ({match_sql}) m JOIN {table} ON d.id = m.id WHERE {' AND '.join(where)}"
    sort = best if order == "relevance" else "d.date DESC NULLS LAST, d.id DESC"
    if not postgres and order != "relevance":
        sort = "d.date IS NULL, d.date DESC, d.id DESC"
    all_params = match_params + params
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT d.id {base} ORDER BY {sort} LIMIT %s OFFSET %s",
            [*all_params, per_page, (page - 1) * per_page],
        )
        ids = [row[0] for row in cur.fetchall()]
        # One pass over the matches gives the total and every facet (a query per facet read
        # each matching row five times): counts per combination of the facet fields.
        columns = ", ".join(f"d.{name}" for name in FACETS)
        cur.execute(f"SELECT {columns}, COUNT(*) {base} GROUP BY {columns}", all_params)
        combinations = cur.fetchall()
    total = sum(row[-1] for row in combinations)
    counts: dict[str, list[tuple[str, int]]] = {}
    if facets and total:
        for i, name in enumerate(FACETS):
            per_value: Counter = Counter()
            for row in combinations:
                per_value[row[i]] += row[-1]
            # the 12 most frequent, blanks left out; equal counts in descending order of the
            # values (NULL last), as SQLite's ORDER BY n DESC after GROUP BY gave them
            top = sorted(
                per_value.items(), key=lambda vn: (vn[1], vn[0] is not None, vn[0]), reverse=True
            )
            counts[name] = [(value, n) for value, n in top[:12] if value not in ("", None)]
    return Results(total=total, ids=ids, facets=counts)


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


def _first_match(
    text: str, query: Query, pattern: re.Pattern
) -> tuple[str, bool, re.Match | None]:
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
