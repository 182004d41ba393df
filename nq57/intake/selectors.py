"""Reads of the intake shared by pages, the API and other apps: the public list and search, the office's queue,
likely duplicates with their shared passages, statistics and dashboard figures, and a task's origin."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone

from nq57.core.compiled import compiled_query
from nq57.intake.models import AWAITING, Submission, SubmissionStatus
from nq57.search import selectors as search
from nq57.text.similarity import Passage

KIND = "intake.submission"


def public_submissions(*, q: str = "", kind: str = "", theme: int | None = None, agency: int | None = None,
                       status: str = ""):
    """The published submissions, filtered; with ``q``, only those matching it, best first (a list of at most the
    200 best hits), otherwise newest first (a queryset)."""
    qs = Submission.objects.published().select_related("routed_agency", "theme").defer(
        "content", "answer", "decision_reasons", "secret", "duplicates")
    if kind:
        qs = qs.filter(kind=kind)
    if theme:
        qs = qs.filter(theme_id=theme)
    if agency:
        qs = qs.filter(routed_agency_id=agency)
    if status:
        qs = qs.filter(status=status)
    if not q.strip():
        return qs.order_by("-id")  # newest first (ids grow with time; walks the primary key, stops after a page)
    ids = search.search_ids(KIND, q, public_only=True, limit=200)
    rank = {pk: i for i, pk in enumerate(ids)}
    return sorted(qs.filter(pk__in=ids), key=lambda s: rank[s.pk])


def triage_queue():
    """What waits for the office: new submissions, oldest first (the likely duplicates were found on arrival)."""
    return (Submission.objects.filter(status=SubmissionStatus.NEW).order_by("created_at", "id")
            .select_related("theme").only("id", "tracking_code", "kind", "title", "created_at", "duplicates",
                                          "theme__name", "sender_organisation"))


@dataclass(frozen=True)
class Duplicate:
    submission: Submission
    score: float
    shared: tuple[Passage, ...]


def likely_duplicates(submission: Submission, *, limit: int = 3) -> list[Duplicate]:
    """Earlier submissions most like this one (search.similar), with the passages they share."""
    hits = search.similar(KIND, f"{submission.title}\n{submission.content}", limit=limit,
                          exclude_ids=[submission.pk], min_score=0.15)
    found = Submission.objects.in_bulk([h.object_id for h in hits])
    return [Duplicate(found[h.object_id], h.score, h.shared) for h in hits if h.object_id in found]


@compiled_query
def _origin_of_task(*, task_id: int):
    return Submission.objects.filter(task_id=task_id).only("task", "kind", "tracking_code", "title").order_by("pk")[:1]


def origin_of_task(task) -> Submission | None:
    """The submission a task was made from (shown on the task page: its kind, tracking code and title)."""
    for submission in _origin_of_task(task_id=task.pk):
        return submission
    return None


def _days_sql() -> str:
    table = Submission._meta.db_table
    if connection.vendor == "postgresql":
        return f'EXTRACT(EPOCH FROM ("{table}"."answered_at" - "{table}"."created_at")) / 86400.0'
    return f'julianday("{table}"."answered_at") - julianday("{table}"."created_at")'


def _median_days(answered) -> float | None:
    """The median number of days from sending to answer, sorted by the database (one or two values fetched)."""
    n = answered.count()
    if not n:
        return None
    values = answered.annotate(days=RawSQL(_days_sql(), ())).order_by("days").values_list("days", flat=True)
    middle = list(values[(n - 1) // 2 : n // 2 + 1])
    return round(float(sum(middle)) / len(middle), 1)


def _accepted(qs=None):
    qs = Submission.objects.all() if qs is None else qs
    return qs.exclude(status__in=(SubmissionStatus.REJECTED, SubmissionStatus.MERGED))


def _counts(today):
    answered = Q(status=SubmissionStatus.ANSWERED, answered_at__isnull=False)
    return {
        "received": Count("id"),
        "new": Count("id", filter=Q(status=SubmissionStatus.NEW)),
        "waiting": Count("id", filter=Q(status__in=AWAITING)),
        "overdue": Count("id", filter=Q(status__in=AWAITING, answer_due__lt=today)),
        "answered": Count("id", filter=answered),
        "on_time": Count("id", filter=answered & Q(answered_in_time=True)),
    }


def figures(qs=None) -> dict:
    """Received, waiting for triage, waiting for an answer, overdue, answered, answered on time, median days to
    answer - over the submissions accepted by the office (``qs`` narrows them)."""
    today = timezone.localdate()
    accepted = _accepted(qs)
    counts = accepted.aggregate(**_counts(today))
    counts["median_days"] = _median_days(accepted.filter(status=SubmissionStatus.ANSWERED, answered_at__isnull=False))
    return counts


def figures_by(field: str, qs=None) -> list[dict]:
    """The same figures per agency (``routed_agency``) or topic (``theme``), most received first."""
    today = timezone.localdate()
    accepted = _accepted(qs).filter(**{f"{field}__isnull": False})
    rows = {r[field]: {"id": r[field], "name": r[f"{field}__name"], **{k: r[k] for k in _counts(today)}}
            for r in accepted.values(field, f"{field}__name").annotate(**_counts(today)).order_by()}
    answered = accepted.filter(status=SubmissionStatus.ANSWERED, answered_at__isnull=False)
    for key, row in rows.items():
        row["median_days"] = _median_days(answered.filter(**{field: key}))
    return sorted(rows.values(), key=lambda r: (-r["received"], r["name"] or ""))


def backlog() -> dict:
    """What waits now (never cached): submissions to triage, answers awaited, answers overdue - small sets counted
    through the status index."""
    today = timezone.localdate()
    waiting = Submission.objects.filter(status__in=AWAITING)
    return {"new": Submission.objects.filter(status=SubmissionStatus.NEW).count(), "waiting": waiting.count(),
            "overdue": waiting.filter(answer_due__lt=today).count()}


def statistics_cached() -> dict:
    """The public statistics (overall, by agency, by topic), recomputed at most every
    ``INTAKE_STATISTICS_SECONDS`` (300)."""
    from django.conf import settings
    from django.core.cache import cache

    def compute():
        return {"figures": figures(), "by_agency": figures_by("routed_agency"), "by_theme": figures_by("theme")}

    return cache.get_or_set("intake:statistics", compute, getattr(settings, "INTAKE_STATISTICS_SECONDS", 300))
