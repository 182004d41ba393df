"""Reads of the platform's search index, for any app: ``search`` (a query typed by a person) and ``similar`` (entries
like a given text, with the passages they share). Both return object ids of ``kind``; the calling app loads its own
objects and applies its own visibility rules (``public_only`` narrows to entries indexed as public)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db import connection

from nq57.search.models import SearchEntry, SearchTermStat
from nq57.text.similarity import STOPWORDS, Passage, idf, shared_passages, similarity, snippet, terms

CANDIDATES = 60  # entries retrieved by full text before the similarity re-ranking
RARE_TERMS = 12  # how many of the text's rarest words retrieve them


@dataclass(frozen=True)
class Hit:
    object_id: int
    score: float
    snippet: str = ""
    shared: tuple[Passage, ...] = field(default=())
    phrase: bool = False  # search: the query's words occur as one phrase


def _fts_term(t: str) -> str:
    return '"' + t.replace('"', "") + '"'


def _kind_filter(kind: str) -> str:
    return "kind : " + _fts_term(" ".join(terms(kind)) or kind)


def _sqlite_rows(kind: str, expr: str, phrase: str | None, *, limit: int, offset: int, public_only: bool,
                 exclude_ids: Sequence[int] = ()) -> list[tuple[int, float, bool]]:
    match = f"{_kind_filter(kind)} AND text_folded : ({expr})"
    params: list = []
    ph_sql = "0"
    if phrase:
        ph_sql = "search_entry_fts.rowid IN (SELECT rowid FROM search_entry_fts WHERE search_entry_fts MATCH %s)"
        params.append(f"{_kind_filter(kind)} AND text_folded : {phrase}")
    where = ["search_entry_fts MATCH %s", "e.kind = %s"]
    params += [match, kind]
    if public_only:
        where.append("e.is_public")
    if exclude_ids:
        where.append(f"e.object_id NOT IN ({', '.join(['%s'] * len(exclude_ids))})")
        params += list(exclude_ids)
    sql = (
        f"SELECT e.object_id, bm25(search_entry_fts, 0.0, 1.0) AS r, {ph_sql} AS ph "
        "FROM search_entry_fts JOIN search_searchentry e ON e.id = search_entry_fts.rowid "
        f"WHERE {' AND '.join(where)} ORDER BY ph DESC, r, e.id LIMIT %s OFFSET %s"
    )
    params += [limit, offset]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(oid, -float(r), bool(ph)) for oid, r, ph in cursor.fetchall()]


def _pg_rows(kind: str, expr: str, phrase: str | None, *, limit: int, offset: int, public_only: bool,
             exclude_ids: Sequence[int] = ()) -> list[tuple[int, float, bool]]:
    params: list = [expr, phrase or expr, kind]
    where = ["e.kind = %s", "e.tsv @@ q.q"]
    if public_only:
        where.append("e.is_public")
    if exclude_ids:
        where.append("NOT (e.object_id = ANY(%s))")
        params.append(list(exclude_ids))
    ph_sql = "(e.tsv @@ q.pq)" if phrase else "false"
    sql = (
        f"SELECT e.object_id, ts_rank_cd(e.tsv, q.q) AS r, {ph_sql} AS ph FROM search_searchentry e, "
        "(SELECT to_tsquery('simple', %s) AS q, to_tsquery('simple', %s) AS pq) q "
        f"WHERE {' AND '.join(where)} ORDER BY ph DESC, r DESC, e.id LIMIT %s OFFSET %s"
    )
    params += [limit, offset]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(oid, float(r), bool(ph)) for oid, r, ph in cursor.fetchall()]


def _rows(kind, words: list[str], mode: str, *, phrase: bool, **kwargs) -> list[tuple[int, float, bool]]:
    """Entries of ``kind`` holding all (``mode="and"``) or any (``"or"``) of ``words``, best first; with ``phrase``
    the entries holding the words as one phrase come first."""
    if connection.vendor == "postgresql":
        quoted = [f"'{w}'" for w in words]
        expr = (" & " if mode == "and" else " | ").join(quoted)
        ph = " <-> ".join(quoted) if phrase and len(words) > 1 else None
        return _pg_rows(kind, expr, ph, **kwargs)
    quoted = [_fts_term(w) for w in words]
    expr = (" AND " if mode == "and" else " OR ").join(quoted)
    ph = _fts_term(" ".join(words)) if phrase and len(words) > 1 else None
    return _sqlite_rows(kind, expr, ph, **kwargs)


def _texts(kind: str, ids: Iterable[int]) -> dict[int, tuple[str, str, str]]:
    rows = SearchEntry.objects.filter(kind=kind, object_id__in=list(ids)).values_list(
        "object_id", "title", "text", "text_folded"
    )
    return {oid: (title, text, key) for oid, title, text, key in rows}


def search(kind: str, query: str, *, limit: int = 20, offset: int = 0, public_only: bool = False,
           with_snippets: bool = True) -> list[Hit]:
    """Entries of ``kind`` matching ``query`` (Vietnamese-aware: diacritics, đ, NFC/NFD and tone placement do not
    matter): those holding every word, the ones with the words as one phrase first, then by BM25 (SQLite) or
    ``ts_rank_cd`` (PostgreSQL); when no entry holds every word, those holding any. Each hit has a snippet of the
    original text around the words."""
    words = list(dict.fromkeys(terms(query)))[:32]
    if not words:
        return []
    opts = {"limit": limit, "offset": offset, "public_only": public_only}
    rows = _rows(kind, words, "and", phrase=True, **opts)
    if not rows and offset == 0 and len(words) > 1:
        rows = _rows(kind, words, "or", phrase=False, **opts)
    if not with_snippets:
        return [Hit(oid, score, phrase=ph) for oid, score, ph in rows]
    texts = _texts(kind, [r[0] for r in rows])
    hits = []
    for oid, score, ph in rows:
        title, text, _ = texts.get(oid, ("", "", ""))
        hits.append(Hit(oid, score, snippet(text or title, words), phrase=ph))
    return hits


def search_ids(kind: str, query: str, *, limit: int = 1000, public_only: bool = False) -> list[int]:
    """Just the ids of ``search``'s best ``limit`` hits, in order (to narrow an app's own filtered list)."""
    return [h.object_id for h in search(kind, query, limit=limit, public_only=public_only, with_snippets=False)]


def term_weights(kind: str, words: Iterable[str]) -> tuple[dict[str, float], dict[str, int], int]:
    """``(idf by term, entries holding each term, entries of kind)`` from the index's term statistics."""
    wanted = set(words)
    wanted.add("")
    docs: dict[str, int] = {}
    wanted_list = list(wanted)
    for i in range(0, len(wanted_list), 900):
        docs.update(
            SearchTermStat.objects.filter(kind=kind, term__in=wanted_list[i : i + 900]).values_list("term", "docs")
        )
    total = max(docs.pop("", 0), 0)
    weights = {t: idf(docs.get(t, 0), total) for t in wanted if t}
    return weights, docs, total


def similar(kind: str, text: str, *, limit: int = 5, exclude_ids: Sequence[int] = (), min_score: float = 0.0,
            public_only: bool = False, passages: bool = True) -> list[Hit]:
    """Entries of ``kind`` most like ``text``: retrieved by full text with any of the text's rarest words, then
    re-ranked by ``nq57.text.similarity.similarity`` (TF-IDF cosine of words and word pairs, weights from the
    index's statistics). Each hit carries the passages it shares with ``text`` (spans in both)."""
    words = terms(text)
    content = {w for w in words if w not in STOPWORDS and (len(w) > 1 or w.isdigit())}
    if not content:
        return []
    _, docs, total = term_weights(kind, content)
    if not total:
        return []
    ceiling = max(3, total // 4)  # a word in a quarter of the entries retrieves nothing useful
    rare = sorted((w for w in content if 0 < docs.get(w, 0) <= ceiling), key=lambda w: (docs[w], w))[:RARE_TERMS]
    if not rare:
        return []
    rows = _rows(kind, rare, "or", phrase=False, limit=CANDIDATES, offset=0, public_only=public_only,
                 exclude_ids=tuple(exclude_ids))
    if not rows:
        return []
    texts = _texts(kind, [r[0] for r in rows])
    cand_words = {oid: key.split(" ") for oid, (_, _, key) in texts.items()}
    vocab = set(words)
    for ws in cand_words.values():
        vocab.update(ws)
    weights, _, _ = term_weights(kind, vocab)
    scored = []
    for oid, _, _ in rows:
        if oid not in cand_words:
            continue
        score = similarity(words, cand_words[oid], weights)
        if score > min_score:
            scored.append((score, oid))
    scored.sort(key=lambda s: (-s[0], s[1]))
    hits = []
    for score, oid in scored[:limit]:
        shared: tuple[Passage, ...] = ()
        if passages:
            title, body, _ = texts[oid]
            shared = tuple(shared_passages(text, f"{title}\n{body}"))
        hits.append(Hit(oid, round(score, 4), shared=shared))
    return hits
