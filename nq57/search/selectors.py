"""Reads of the platform's search index, for any app: ``search`` (a query typed by a person) and ``similar`` (entries
like a given text, with the passages they share). Both return object ids of ``kind``; the calling app loads its own
objects and applies its own visibility rules (``public_only`` narrows to entries indexed as public).

Cost is kept bounded whatever the size of the index: the index's term statistics (``SearchTermStat``) tell how many
entries hold each word or word pair before the full-text query runs, so a query whose every word is very common
("công nghệ" in a corpus about technology) is answered newest first from the posting lists (which stops after a page)
instead of ranking a hundred thousand matches, and ``similar`` retrieves its candidates with the rarest words and
word pairs of the text within a budget of postings."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db import connection

from nq57.search.models import SearchEntry, SearchTermStat
from nq57.text.similarity import STOPWORDS, Passage, idf, shared_passages, similarity, snippet, terms

CANDIDATES = 60  # entries retrieved by full text before the similarity re-ranking
RARE_TERMS = 16  # at most this many words / word pairs retrieve them ...
POSTINGS_BUDGET = 30_000  # ... reading together at most about this many postings
BROAD_DOCS = 5_000  # a query whose rarest word is in more entries than this is listed newest first


@dataclass(frozen=True)
class Hit:
    object_id: int
    score: float
    snippet: str = ""
    shared: tuple[Passage, ...] = field(default=())
    phrase: bool = False  # search: the query's words occur as one phrase


# --- the two full-text dialects --------------------------------------------------------------------------------------

def _fts_phrase(words: Sequence[str]) -> str:
    return '"' + " ".join(w.replace('"', "") for w in words) + '"'


def _kind_filter(kind: str) -> str:
    return "kind : " + _fts_phrase(terms(kind) or [kind])


def _ts_phrase(words: Sequence[str]) -> str:
    quoted = [f"'{w}'" for w in words]
    return quoted[0] if len(quoted) == 1 else "(" + " <-> ".join(quoted) + ")"


def _query(groups: Sequence[Sequence[str]], mode: str, exclude_phrase: Sequence[str] | None = None) -> str:
    """A full-text query over phrases (each a list of words): all of them (``and``) or any (``or``), optionally
    without the entries holding ``exclude_phrase``; in the database's dialect."""
    if connection.vendor == "postgresql":
        expr = (" & " if mode == "and" else " | ").join(_ts_phrase(g) for g in groups)
        if exclude_phrase:
            expr = f"({expr}) & !{_ts_phrase(exclude_phrase)}"
        return expr
    expr = (" AND " if mode == "and" else " OR ").join(_fts_phrase(g) for g in groups)
    if exclude_phrase:
        expr = f"({expr}) NOT {_fts_phrase(exclude_phrase)}"
    return expr


def _rows(kind: str, expr: str, *, ranked: bool, limit: int, offset: int = 0, public_only: bool = False,
          exclude_ids: Sequence[int] = ()) -> list[tuple[int, float]]:
    """``(object_id, score)`` of the entries of ``kind`` matching ``expr``: best first when ``ranked`` (BM25 /
    ``ts_rank_cd``), newest first otherwise (score 0)."""
    params: list = []
    if connection.vendor == "postgresql":
        # newest first: walk the primary key backwards and test each row (``IS TRUE`` keeps the planner off the
        # GIN index, whose bitmap of a very common word would be read whole); ranked: the GIN index
        match = "e.tsv @@ to_tsquery('simple', %s)"
        where = ["e.kind = %s", match if ranked else f"({match}) IS TRUE"]
        params += [kind, expr]
        if public_only:
            where.append("e.is_public")
        if exclude_ids:
            where.append("NOT (e.object_id = ANY(%s))")
            params.append(list(exclude_ids))
        score = "ts_rank_cd(e.tsv, to_tsquery('simple', %s))" if ranked else "0"
        if ranked:
            params.insert(0, expr)
        order = "r DESC, e.id DESC" if ranked else "e.id DESC"
        sql = (f"SELECT e.object_id, {score} AS r FROM search_searchentry e WHERE {' AND '.join(where)} "
               f"ORDER BY {order} LIMIT %s OFFSET %s")
    else:
        where = ["search_entry_fts MATCH %s", "e.kind = %s"]
        params += [f"{_kind_filter(kind)} AND text_folded : ({expr})", kind]
        if public_only:
            where.append("e.is_public")
        if exclude_ids:
            where.append(f"e.object_id NOT IN ({', '.join(['%s'] * len(exclude_ids))})")
            params += list(exclude_ids)
        score = "-bm25(search_entry_fts, 0.0, 1.0)" if ranked else "0"
        order = "bm25(search_entry_fts, 0.0, 1.0), search_entry_fts.rowid DESC" if ranked else \
            "search_entry_fts.rowid DESC"
        sql = (f"SELECT e.object_id, {score} AS r FROM search_entry_fts "
               "JOIN search_searchentry e ON e.id = search_entry_fts.rowid "
               f"WHERE {' AND '.join(where)} ORDER BY {order} LIMIT %s OFFSET %s")
    params += [limit, offset]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(oid, float(r)) for oid, r in cursor.fetchall()]


# --- statistics ----------------------------------------------------------------------------------------------------

def term_docs(kind: str, keys: Iterable[str]) -> tuple[dict[str, int], int]:
    """``(entries holding each word / word pair, entries of kind)`` from the index's term statistics."""
    wanted = list({*keys, ""})
    docs: dict[str, int] = {}
    for i in range(0, len(wanted), 900):
        docs.update(SearchTermStat.objects.filter(kind=kind, term__in=wanted[i : i + 900]).values_list("term", "docs"))
    return docs, max(docs.pop("", 0), 0)


def term_weights(kind: str, words: Iterable[str]) -> tuple[dict[str, float], dict[str, int], int]:
    """``(idf by term, entries holding each term, entries of kind)``."""
    words = set(words)
    docs, total = term_docs(kind, words)
    return {t: idf(docs.get(t, 0), total) for t in words if t}, docs, total


def _texts(kind: str, ids: Iterable[int]) -> dict[int, tuple[str, str, str]]:
    rows = SearchEntry.objects.filter(kind=kind, object_id__in=list(ids)).values_list(
        "object_id", "title", "text", "text_folded"
    )
    return {oid: (title, text, key) for oid, title, text, key in rows}


# --- search --------------------------------------------------------------------------------------------------------

def _expected(docs: Sequence[int], total: int) -> float:
    """Entries expected to hold all of several words (as if independent): how dense the matches are."""
    estimate = float(max(total, 1))
    for d in docs:
        estimate *= d / max(total, 1)
    return estimate


def _search_rows(kind: str, words: list[str], *, want: int, public_only: bool) -> list[tuple[int, float, bool]]:
    pairs = [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]
    docs, total = term_docs(kind, [*words, *pairs])
    rarest = min(docs.get(w, 0) for w in words)
    if rarest == 0 and len(words) == 1:
        return []
    opts = {"public_only": public_only}
    out: list[tuple[int, float, bool]] = []
    if len(words) > 1:  # the words as one phrase first
        pair_docs = [docs.get(p, 0) for p in pairs]
        if min(pair_docs) > 0:
            broad = _expected(pair_docs, total) > BROAD_DOCS and min(pair_docs) > BROAD_DOCS
            out = [(oid, s, True) for oid, s in _rows(kind, _query([words], "and"), ranked=not broad, limit=want,
                                                         **opts)]
            if len(out) >= want:
                return out
    if rarest > 0:
        broad = _expected([docs.get(w, 0) for w in words], total) > BROAD_DOCS
        expr = _query([[w] for w in words], "and", exclude_phrase=words if out else None)
        out += [(oid, s, False) for oid, s in _rows(kind, expr, ranked=not broad, limit=want - len(out), **opts)]
    return out


def search(kind: str, query: str, *, limit: int = 20, offset: int = 0, public_only: bool = False,
           with_snippets: bool = True) -> list[Hit]:
    """Entries of ``kind`` matching ``query`` (Vietnamese-aware: diacritics, đ, NFC/NFD and tone placement do not
    matter): first those holding the words as one phrase, then those holding every word, each group by BM25
    (SQLite) or ``ts_rank_cd`` (PostgreSQL) - or newest first when its words are in very many entries; when no
    entry holds every word, those holding any. Each hit has a snippet of the original text around the words."""
    words = list(dict.fromkeys(terms(query)))[:32]
    if not words:
        return []
    want = offset + limit
    rows = _search_rows(kind, words, want=want, public_only=public_only)
    if not rows and offset == 0 and len(words) > 1:
        docs, _ = term_docs(kind, words)
        known = [w for w in words if docs.get(w, 0)]
        if known:
            broad = min(docs[w] for w in known) > BROAD_DOCS
            rows = [(oid, s, False) for oid, s in _rows(kind, _query([[w] for w in known], "or"), ranked=not broad,
                                                         limit=want, public_only=public_only)]
    rows = rows[offset:want]
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


# --- similar -------------------------------------------------------------------------------------------------------

def _retrieval_terms(words: list[str], docs: dict[str, int]) -> list[list[str]]:
    """The rarest words and word pairs of a text (as phrases), at most ``RARE_TERMS``, within a budget of postings
    read: a word costs the entries holding it, a pair the entries holding either of its words (the full-text index
    reads both posting lists to match a phrase). The rarest one is taken whatever its cost."""
    keys = {w for w in words if w not in STOPWORDS and (len(w) > 1 or w.isdigit())}
    keys.update(f"{a} {b}" for a, b in zip(words, words[1:], strict=False)
                if not (a in STOPWORDS and b in STOPWORDS))
    ranked = sorted((k for k in keys if docs.get(k, 0) > 0), key=lambda k: (docs[k], k))
    chosen, spent = [], 0
    for key in ranked:
        if len(chosen) >= RARE_TERMS:
            break
        parts = key.split(" ")
        cost = sum(docs.get(p, 0) for p in parts) if len(parts) > 1 else docs[key]
        if chosen and spent + cost > POSTINGS_BUDGET:
            continue
        chosen.append(parts)
        spent += cost
    return chosen


def similar(kind: str, text: str, *, limit: int = 5, exclude_ids: Sequence[int] = (), min_score: float = 0.0,
            public_only: bool = False, passages: bool = True) -> list[Hit]:
    """Entries of ``kind`` most like ``text``: retrieved by full text with any of the text's rarest words and word
    pairs, then re-ranked by ``nq57.text.similarity.similarity`` (TF-IDF cosine of words and word pairs, weights
    from the index's statistics). Each hit carries the passages it shares with ``text`` (spans in both)."""
    words = terms(text)
    if not words:
        return []
    pairs = [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]
    docs, total = term_docs(kind, [*words, *pairs])
    if not total:
        return []
    groups = _retrieval_terms(words, docs)
    if not groups:
        return []
    rows = _rows(kind, _query(groups, "or"), ranked=True, limit=CANDIDATES, public_only=public_only,
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
    for oid, _ in rows:
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
