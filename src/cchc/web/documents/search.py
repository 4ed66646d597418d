"""Full-text search that ignores diacritics and case, on SQLite FTS5 or PostgreSQL tsvector.

Both engines index the same folded text (`cchc.text.fold`: no diacritics, đ→d, lower case), so a
query typed without accents finds the accented text, and both read the query the same way: words
are all required, `"…"` is an exact phrase, `595/UBND-NC` is the phrase `595 ubnd nc`. Because
`fold` keeps one character per character, match offsets in the folded text highlight the original.
"""

from __future__ import annotations

import hashlib
import html
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection, transaction

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
        # NOT binds tighter than the implicit AND in FTS5: `"a" b NOT c` is a AND (b NOT c)
        terms += _filter_terms(filters, "NOT ")
        return " ".join(terms)

    def tsquery(self, filters: dict | None = None, phrases: bool = True) -> str:
        """PostgreSQL tsquery syntax, with the same number and filter words as `fts5`; without
        `phrases`, the words of a phrase anywhere in a text (what the GIN index can tell)."""
        link = " <-> " if phrases else " & "
        terms = [self.numbers.get(words) or "(" + link.join(words) + ")" for words in self.terms]
        terms += _filter_terms(filters, "!")
        return " & ".join(terms)

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
    facets += " " + " ".join(signature_words(getattr(doc, "signature_state", "")))
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


def meta_vector_rows(cur, documents) -> None:
    """Write the PostgreSQL documents_meta rows of some documents."""
    cur.executemany(
        "INSERT INTO documents_meta (document_id, meta) VALUES (%s, to_tsvector('simple', %s)) "
        "ON CONFLICT (document_id) DO UPDATE SET meta = EXCLUDED.meta",
        [(doc.pk, _NOT_WORD.sub(" ", indexed_meta(doc))) for doc in documents],
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
            meta_vector_rows(cur, [doc])
            return
        if previous is not None:
            _sqlite_delete(cur, doc.pk, *previous)
        cur.execute("INSERT INTO documents_fts (rowid, body) VALUES (%s, %s)", [doc.pk, body])
        cur.execute("INSERT INTO documents_meta (rowid, meta) VALUES (%s, %s)", [doc.pk, meta])


def unindex_document(doc) -> None:
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("DELETE FROM documents_search WHERE document_id = %s", [doc.pk])
            cur.execute("DELETE FROM documents_meta WHERE document_id = %s", [doc.pk])
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
# Filters that are index words only (no facet counts): the digital-signature filter.
WORD_FILTERS = ("signature",)


def signature_words(state: str) -> list[str]:
    """The index words of a document's signature state (`services.SIGNATURE_FILTERS`): `co`
    for any signature, `hong` too for a broken one; an unsigned document has none, so that the
    documents indexed before signatures were summed up are found as unsigned (`khong` is
    "NOT co", see `_filter_terms`)."""
    if not state:
        return []
    words = [filter_token("signature", "co")]
    if state == "hong":
        words.append(filter_token("signature", "hong"))
    return words


def _filter_terms(filters: dict | None, negate: str) -> list[str]:
    """The index words of the filters; "no signature" is the negation (`negate` + word)."""
    terms = []
    for name, value in (filters or {}).items():
        if not value:
            continue
        if name == "signature" and value == "khong":
            terms.append(negate + filter_token("signature", "co"))
        else:
            terms.append(filter_token(name, value))
    return terms


# The most recent matches that relevance ranking, sorting and facets consider. Scoring and
# counting every match of a word in most of 100,000 (SQLite) or 1,000,000 (PostgreSQL) documents
# costs hundreds of milliseconds to seconds; the newest this many are found in a few. A query
# matching fewer documents is answered exactly; a broader one says "more than …".
CANDIDATES = 1000


def search(
    query: Query,
    filters: dict,
    order: str = "relevance",
    page: int = 1,
    per_page: int = 20,
    facets: bool = True,
    visible: Callable[[list[int]], set[int]] | None = None,
) -> Results:
    """Matching document ids for one page, the total, and facet counts under the filters.

    `visible` keeps the ids the person may read (`services.visible_ids`): the confidential
    documents they may not are in the index but neither listed nor counted."""
    filters = {k: v for k, v in filters.items() if k in FACETS or k in WORD_FILTERS}
    if connection.vendor == "postgresql":
        rows, capped = _postgres_matches(query, filters)
    else:
        rows, capped = _sqlite_matches(query, filters)
    if visible is not None and rows:
        kept = visible([r[0] for r in rows])
        rows = [r for r in rows if r[0] in kept]
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
    match = query.fts5(filters)
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


# PostgreSQL: the newest rows read first to learn how common a query is (see _postgres_matches),
# and the relative cost of a row that the index of ids scan reads (its vector is read from the
# TOAST table and checked) to one that the GIN index finds (a small heap row; a phrase rechecks).
PROBE = 1000
ID_SCAN_COST, GIN_COST, GIN_PHRASE_COST = 10.0, 2.0, 10.0


def _postgres_matches(query: Query, filters: dict) -> tuple[list, bool]:
    """The newest CANDIDATES matches under the filters (which are words of the index, as on
    SQLite), scored by ts_rank_cd. Two plans find them: the ids read backwards with each row's
    vector checked, which stops after enough matches (fast for a common query), or every match
    from the GIN index, then the newest (fast for a rare one). The planner counts a row's vector
    as free to check and would pick wrongly, so the newest PROBE rows are checked first and the
    share of them that match decides."""
    match = query.tsquery(filters)
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(
            "SELECT document_id, vector @@ to_tsquery('simple', %s), "
            "vector @@ to_tsquery('simple', %s) FROM (SELECT document_id, vector "
            "FROM documents_search ORDER BY document_id DESC LIMIT %s) s",
            [match, query.tsquery(filters, phrases=False), PROBE],
        )
        probed = cur.fetchall()
        ids = sorted((pk for pk, ok, _ in probed if ok), reverse=True)
        if len(probed) == PROBE and len(ids) <= CANDIDATES:
            share = len(ids) / PROBE
            need = CANDIDATES + 1 - len(ids)
            cur.execute("SELECT reltuples FROM pg_class WHERE oid = 'documents_search'::regclass")
            rows = max(cur.fetchone()[0], PROBE)
            by_id = need / share * ID_SCAN_COST if share else math.inf
            if match == query.tsquery(filters, phrases=False):
                by_gin = rows * share * GIN_COST
            else:  # the GIN index finds the rows with the words; each one's phrases are checked
                by_gin = rows * sum(words for *_, words in probed) / PROBE * GIN_PHRASE_COST
            if by_id < by_gin:  # on from the probed rows
                avoid, since = "enable_bitmapscan", min(pk for pk, *_ in probed)
            else:  # every match (a range of ids would be read as a bitmap too)
                avoid, since, need, ids = "enable_indexscan", None, CANDIDATES + 1, []
            for setting in (avoid, "enable_seqscan"):
                cur.execute("SELECT set_config(%s, 'off', true)", [setting])
            cur.execute(
                "SELECT document_id FROM documents_search WHERE vector @@ to_tsquery('simple', %s)"
                f"{'' if since is None else ' AND document_id < %s'} "
                "ORDER BY document_id DESC LIMIT %s",
                [match, *([] if since is None else [since]), need],
            )
            ids += [pk for (pk,) in cur.fetchall()]
            for setting in (avoid, "enable_seqscan"):
                cur.execute("SELECT set_config(%s, 'on', true)", [setting])
        capped = len(ids) > CANDIDATES
        # Relevance as on SQLite: ranked on the short fields (documents_meta), a fraction of
        # the cost of ranking each candidate's whole text; matches only in their body score 0.
        cur.execute(
            "SELECT d.id, CASE WHEN m.meta @@ q THEN ts_rank_cd(m.meta, q) ELSE 0 END, "
            f"{_FIELDS} FROM documents_document d CROSS JOIN to_tsquery('simple', %s) q "
            "LEFT JOIN documents_meta m ON m.document_id = d.id WHERE d.id = ANY(%s)",
            [query.tsquery(), ids[:CANDIDATES]],
        )
        rows = _rows(cur)
    for _pk, _score, fields in rows:
        if fields["date"] is not None:
            fields["date"] = fields["date"].isoformat()
    return rows, capped


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


# How far into a document a snippet looks for the query as a phrase before it takes the first
# term: folding a whole long document for each of a page's results cost tens of milliseconds.
PHRASE_SCAN_CHARS = 16_384


def _first_match(text: str, query: Query, pattern: re.Pattern) -> tuple[str, bool, re.Match | None]:
    """The first match of the whole query as a phrase (in the first PHRASE_SCAN_CHARS), else of
    any term, in `fold(text)`, and the folded text up to there. Folding a long document costs
    milliseconds, and most first matches are near the top, so the text is folded a piece at a
    time until the phrase turns up; `fold` gives one character for one, so the folded pieces
    line up with the text. Also says whether the folded text is the whole of it."""
    phrase = query.phrase_pattern()
    folded, searched = "", 0
    while True:
        folded, whole = _fold_more(text, folded, max(4096, 4 * len(folded)))
        if m := phrase.search(folded, searched):
            return folded, whole, m
        if whole or len(folded) >= PHRASE_SCAN_CHARS:
            break
        searched = len(folded)
    # no phrase near the top: the first term there will do (the search page shows 20 of these)
    if (m := pattern.search(folded)) or whole:
        return folded, whole, m
    folded, whole = _fold_more(text, folded, len(text))
    return folded, whole, pattern.search(folded)


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
