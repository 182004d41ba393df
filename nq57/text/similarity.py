"""Vietnamese-aware term extraction and text similarity, shared by every app that compares texts.

Plain Python (no Django), safe to import anywhere:

* ``terms`` - the words of a text as search keys (``canon`` then ``fold``: diacritics, NFC/NFD and tone placement
  never matter, đ -> d);
* ``word_spans`` - the same words with their position in the original text (for highlighting);
* ``shingles`` - word n-grams;
* ``idf`` / ``vector`` / ``cosine`` - a TF-IDF cosine with BM25-style saturated term frequency;
* ``similarity`` - the score used to rank likely duplicates (unigram and bigram cosine blended);
* ``shared_passages`` - the longest runs of words two texts have in common, mapped back to both original texts;
* ``snippet`` - a short window of the original text around the query terms.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from difflib import SequenceMatcher

from nq57.text.vietnamese import canon, fold

__all__ = [
    "STOPWORDS",
    "Passage",
    "cosine",
    "idf",
    "shared_passages",
    "shingles",
    "similarity",
    "snippet",
    "terms",
    "vector",
    "word_spans",
]

# a word: letters or digits, with any combining marks (an NFD text keeps its marks inside the word)
_WORD = re.compile(r"[^\W_][\w\u0300-\u036f]*")

# Frequent Vietnamese function words (folded). They carry no topic: left out of candidate retrieval and given no
# weight in the cosine, but kept in ``terms`` so phrases and shared passages stay whole.
STOPWORDS = frozenset(
    """
    va cua cac nhung la co duoc cho trong voi de nay mot khong thi tai theo tu ve den da dang se cung nhu khi
    ma hoac neu vi do nen rat qua lai ra vao len nhieu it moi tung con hay bi boi ban chung toi em anh chi ong ba
    minh ho o tren duoi sau truoc giua nao gi sao the day do kia nhe a u oi thuc hien viec
    """.split()
)


def word_spans(text: str) -> list[tuple[str, int, int]]:
    """``(folded word, start, end)`` for every word of ``text``; start/end index the text as given."""
    if not text:
        return []
    return [(fold(canon(m.group())), m.start(), m.end()) for m in _WORD.finditer(text)]


def terms(text: str) -> list[str]:
    """The folded words of ``text``, in order (``"Ủy ban Đà Nẵng"`` -> ``["uy", "ban", "da", "nang"]``)."""
    if not text:
        return []
    return _WORD.findall(fold(canon(text)))


def shingles(words: Iterable[str] | str, n: int = 2) -> list[str]:
    """Word n-grams of a word list (or of a text's ``terms``), each joined by one space."""
    seq = terms(words) if isinstance(words, str) else list(words)
    if n <= 1:
        return seq
    return [" ".join(seq[i : i + n]) for i in range(len(seq) - n + 1)]


def idf(df: int, total: int) -> float:
    """Smoothed inverse document frequency (never negative): a term in every document still weighs a little."""
    return math.log(1.0 + (total + 1.0) / (df + 0.5))


def vector(words: Iterable[str], weights: Mapping[str, float] | None = None, *, k1: float = 1.2,
           skip: frozenset[str] = STOPWORDS) -> dict[str, float]:
    """A term vector: BM25-style saturated term frequency ``tf*(k1+1)/(tf+k1)`` times the term's weight (its idf;
    1 when no weights are given or the term is unknown). Stopwords are left out."""
    counts = Counter(w for w in words if w not in skip)
    out: dict[str, float] = {}
    for term, tf in counts.items():
        w = 1.0 if weights is None else weights.get(term, 1.0)
        out[term] = tf * (k1 + 1.0) / (tf + k1) * w
    return out


def cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """Cosine of two sparse vectors (0 when either is empty)."""
    if not a or not b:
        return 0.0
    if len(a) > len(b):
        a, b = b, a
    dot = sum(v * b.get(k, 0.0) for k, v in a.items())
    if not dot:
        return 0.0
    na = math.sqrt(sum(v * v for v in a.values()))
    nb = math.sqrt(sum(v * v for v in b.values()))
    return dot / (na * nb)


def _bigram_vector(words: list[str], weights: Mapping[str, float] | None) -> dict[str, float]:
    # a bigram weighs the mean of its two words' weights; bigrams of two stopwords are left out
    pairs = [(x, y) for x, y in zip(words, words[1:], strict=False) if not (x in STOPWORDS and y in STOPWORDS)]
    counts = Counter(f"{x} {y}" for x, y in pairs)
    out = {}
    for gram, tf in counts.items():
        x, y = gram.split(" ")
        w = 1.0 if weights is None else (weights.get(x, 1.0) + weights.get(y, 1.0)) / 2.0
        out[gram] = tf * 2.2 / (tf + 1.2) * w
    return out


def similarity(a: str | list[str], b: str | list[str], weights: Mapping[str, float] | None = None) -> float:
    """How alike two texts are, 0..1: the mean of the TF-IDF cosine of their words and of their word pairs (word
    order matters through the pairs). ``a``/``b`` are texts or ``terms`` lists; ``weights`` maps a term to its idf."""
    wa = terms(a) if isinstance(a, str) else a
    wb = terms(b) if isinstance(b, str) else b
    uni = cosine(vector(wa, weights), vector(wb, weights))
    if not uni:
        return 0.0
    bi = cosine(_bigram_vector(wa, weights), _bigram_vector(wb, weights))
    return 0.5 * uni + 0.5 * bi


@dataclass(frozen=True)
class Passage:
    """A run of words two texts share: the spans in each original text, and the text as written in each."""

    words: int
    a_start: int
    a_end: int
    b_start: int
    b_end: int
    a_text: str
    b_text: str


def shared_passages(a: str, b: str, *, min_words: int = 4, limit: int = 5) -> list[Passage]:
    """The longest runs of (folded) words that ``a`` and ``b`` have in common, at least ``min_words`` long, longest
    first, each with its character span in both original texts - so a page can show the passages as each text has
    them (with its own diacritics, spelling of tone marks, punctuation and line breaks)."""
    sa, sb = word_spans(a), word_spans(b)
    if not sa or not sb:
        return []
    wa = [w for w, _, _ in sa]
    wb = [w for w, _, _ in sb]
    matcher = SequenceMatcher(None, wa, wb, autojunk=False)
    found = []
    for block in matcher.get_matching_blocks():
        i, j, n = block.a, block.b, block.size
        if n < min_words:
            continue
        if all(w in STOPWORDS for w in wa[i : i + n]):
            continue
        a0, a1 = sa[i][1], sa[i + n - 1][2]
        b0, b1 = sb[j][1], sb[j + n - 1][2]
        found.append(Passage(n, a0, a1, b0, b1, a[a0:a1], b[b0:b1]))
    found.sort(key=lambda p: (-p.words, p.a_start))
    return found[:limit]


def snippet(text: str, query_terms: Iterable[str], *, width: int = 30) -> str:
    """About ``width`` words of ``text`` (as written) around the densest cluster of ``query_terms`` (folded words);
    the opening words when none occurs. Ellipses mark cut ends."""
    spans = word_spans(text)
    if not spans:
        return ""
    wanted = set(query_terms) - STOPWORDS or set(query_terms)
    if len(spans) <= width:
        return text.strip()
    hits = [k for k, (w, _, _) in enumerate(spans) if w in wanted]
    start = 0
    if hits:
        best, best_count = hits[0], 0
        j = 0
        for i, h in enumerate(hits):  # the window starting at each hit that holds the most hits
            while j < len(hits) and hits[j] < h + width:
                j += 1
            if j - i > best_count:
                best, best_count = h, j - i
        start = max(0, min(best - 3, len(spans) - width))
    end = min(len(spans), start + width)
    out = text[spans[start][1] : spans[end - 1][2]]
    return ("… " if start else "") + out + (" …" if end < len(spans) else "")
