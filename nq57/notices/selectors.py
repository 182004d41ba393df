"""Reads of notices for pages and the API (no writes)."""

from django.db.models import Count

from nq57.notices.models import Notice
from nq57.tasks.models import Task, TaskStatus


def attach_task_counts(notices: list[Notice]) -> None:
    """Each notice's top-level tasks, all and by status (``task_count``, ``open_count``, ``partly_count``,
    ``done_count``): one grouped query over the page's notices only, not over every task of every notice."""
    counts = {(notice_id, status): n for notice_id, status, n in
              Task.objects.filter(notice__in=[n.pk for n in notices], parent__isnull=True)
              .values_list("notice_id", "status").annotate(n=Count("*")).order_by()}
    for notice in notices:
        notice.open_count = counts.get((notice.pk, TaskStatus.OPEN), 0)
        notice.partly_count = counts.get((notice.pk, TaskStatus.PARTLY_DONE), 0)
        notice.done_count = counts.get((notice.pk, TaskStatus.DONE), 0)
        notice.task_count = sum(n for (pk, _), n in counts.items() if pk == notice.pk)
