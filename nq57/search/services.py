"""Writes to the platform's search index. Called by the owning app's services (inside their transaction), never by
views: ``entry_index`` after an object is created or changed, ``entry_remove`` when it is deleted or must no longer
be found. The index holds no access rule of its own beyond ``is_public``/``organisation_id``: the caller decides what
is indexed and filters what it shows."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from django.db import transaction
from django.db.models import F

from nq57.search.models import SearchEntry, SearchTermStat
from nq57.text.similarity import terms
from nq57.text.vietnamese import canon

TERM_MAX = 80  # longer "words" (hashes, URLs) are not counted for rarity


def folded(title: str, text: str) -> str:
    """The indexed key of an entry: its title and text as folded words, one space apart."""
    return " ".join(terms(f"{title}\n{text}"))


def _distinct_terms(text_folded: str) -> set[str]:
    """The words and the word pairs (``"thiet bi"``) of an entry: Vietnamese words are mostly two syllables, and a
    pair is far rarer than either syllable, so pairs are what retrieves similar entries cheaply."""
    words = [t for t in text_folded.split(" ") if t and len(t) <= TERM_MAX]
    out = set(words)
    out.update(f"{a} {b}" for a, b in zip(words, words[1:], strict=False) if len(a) + len(b) < TERM_MAX)
    return out


def _stats_add(kind: str, counts: Counter, *, bulk: bool = False) -> None:
    """Add ``counts`` (term -> +n/-n; ``""`` the number of entries) to the term statistics of ``kind``. Rows are
    created at 0 (ignoring a concurrent creation) and then incremented, except in ``bulk`` loads, which create the
    missing rows with their counts at once."""
    counts = Counter({t: n for t, n in counts.items() if n})
    if not counts:
        return
    existing = set(
        SearchTermStat.objects.filter(kind=kind, term__in=list(counts)).values_list("term", flat=True)
    )
    missing = [SearchTermStat(kind=kind, term=t, docs=max(n, 0) if bulk else 0)
               for t, n in counts.items() if t not in existing]
    if missing:
        SearchTermStat.objects.bulk_create(missing, batch_size=500, ignore_conflicts=not bulk)
    by_delta: dict[int, list[str]] = {}
    for t, n in counts.items():
        if t in existing or not bulk:
            by_delta.setdefault(n, []).append(t)
    for n, group in by_delta.items():
        for i in range(0, len(group), 500):
            SearchTermStat.objects.filter(kind=kind, term__in=group[i : i + 500]).update(docs=F("docs") + n)


@transaction.atomic
def entry_index(*, kind: str, object_id: int, title: str = "", text: str = "", is_public: bool = True,
                organisation_id: int | None = None) -> SearchEntry:
    """Create or update the entry of ``(kind, object_id)`` with this title and text."""
    title, text = canon(title or "")[:500], canon(text or "")
    key = folded(title, text)
    entry = SearchEntry.objects.select_for_update().filter(kind=kind, object_id=object_id).first()
    before: set[str] = set()
    if entry is None:
        entry = SearchEntry(kind=kind, object_id=object_id)
    else:
        before = _distinct_terms(entry.text_folded)
    after = _distinct_terms(key)
    entry.title, entry.text, entry.text_folded = title, text, key
    entry.is_public, entry.organisation_id = is_public, organisation_id
    created = entry.pk is None
    entry.save()
    delta = Counter({t: 1 for t in after - before})
    delta.update({t: -1 for t in before - after})
    if created:
        delta[""] += 1
    _stats_add(kind, delta)
    return entry


@transaction.atomic
def entry_remove(*, kind: str, object_id: int) -> bool:
    """Remove the entry of ``(kind, object_id)``; False when there was none."""
    entry = SearchEntry.objects.select_for_update().filter(kind=kind, object_id=object_id).first()
    if entry is None:
        return False
    delta = Counter({t: -1 for t in _distinct_terms(entry.text_folded)})
    delta[""] -= 1
    entry.delete()
    _stats_add(kind, delta)
    return True


@transaction.atomic
def entries_bulk_index(*, kind: str, items: Iterable[dict], batch_size: int = 2000) -> int:
    """Index many NEW objects of ``kind`` at once (imports, benchmarks): each item holds ``object_id``, ``title``,
    ``text`` and optionally ``is_public``/``organisation_id``. Objects already indexed are left as they are."""
    done = set(SearchEntry.objects.filter(kind=kind).values_list("object_id", flat=True))
    batch: list[SearchEntry] = []
    delta: Counter = Counter()
    count = 0

    def flush():
        SearchEntry.objects.bulk_create(batch, batch_size=batch_size)
        batch.clear()

    for item in items:
        if item["object_id"] in done:
            continue
        title, text = canon(item.get("title") or "")[:500], canon(item.get("text") or "")
        key = folded(title, text)
        delta.update(_distinct_terms(key))
        batch.append(SearchEntry(kind=kind, object_id=item["object_id"], title=title, text=text, text_folded=key,
                                 is_public=item.get("is_public", True),
                                 organisation_id=item.get("organisation_id")))
        count += 1
        if len(batch) >= batch_size:
            flush()
    if batch:
        flush()
    delta[""] += count
    _stats_add(kind, delta, bulk=True)
    return count
