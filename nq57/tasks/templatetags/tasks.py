"""Pieces of task markup repeated on every row of a list (the task list, a notice's tasks, the sub-task tree) and on
the task page: written in Python rather than as included templates, since an ``{% include %}`` per row and per
cell costs more than the rest of the row (measured on the task list of 50 rows)."""

from functools import lru_cache
from html import escape

from django import template
from django.template.defaultfilters import truncatewords
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from nq57.core.templatetags.badges import badge

register = template.Library()

# ``escape`` is the standard library's, which ``django.utils.html.escape`` applies too (the same text out); called on
# plain strings here, it skips Django's per-call check for lazy strings (a few dozen values per row)


@register.simple_tag
def agency_links(assignments):
    """The agencies of ``assignments`` as links ("; " between them), each with the name the document used when it
    differs; a dash when there is none."""
    if not assignments:
        return mark_safe('<span class="muted">—</span>')
    parts = []
    for assignment in assignments:
        agency = assignment.agency
        link = (f'<a href="{escape(agency.get_absolute_url())}" title="{escape(agency.display_name)}">'
                f'{escape(agency.name)}</a>')
        if assignment.assigned_name and assignment.assigned_name != agency.name:
            link += f' <span class="muted small">(giao cho: {escape(assignment.assigned_name)})</span>'
        parts.append(link)
    return mark_safe("; ".join(parts))


@register.simple_tag
def progress_bar(value):
    """A progress bar with its percentage."""
    return _progress_bar(value) if type(value) is int else _progress_bar_html(value)


@lru_cache(maxsize=256)
def _progress_bar(value: int):
    return _progress_bar_html(value)


def _progress_bar_html(value):
    return format_html('<div class="progress" role="progressbar" aria-valuenow="{0}" aria-valuemin="0" '
                       'aria-valuemax="100" title="{0}%"><span style="width: {0}%"></span></div>'
                       '<span class="small muted">{0}%</span>', value)


@register.simple_tag
def task_list_row(task):
    """One row of the task list (``tasks/task_list.html``): notice, position, text (linked, 40 words), lead agencies,
    deadline, status and timing badges, progress. A ``pages.decorate``-d task of ``filters.base_queryset``. One
    function call per row instead of a dozen template lookups and filters (the row loop was the page's largest cost)."""
    notice = task.notice
    if task.deadline_due:
        deadline = task.deadline_due.strftime("%d/%m/%Y")
    else:
        deadline = f'<span class="muted">{escape(str(task.get_deadline_kind_display()))}</span>'
    subtask = ' <span class="badge muted">nhiệm vụ con</span>' if task.parent_id else ""
    return mark_safe(
        f'<tr>\n    <td><a href="{escape(notice.get_absolute_url())}">{escape(notice.number or str(notice))}</a></td>\n'
        f'    <td>{escape(task.path or "—")}</td>\n'
        f'    <td><a href="{escape(task.get_absolute_url())}">{escape(truncatewords(task.text, 40))}</a>'
        f'{subtask}</td>\n'
        f'    <td>{agency_links(task.lead_assignments)}</td>\n    <td>{deadline}</td>\n'
        f'    <td>{badge(task.status, "task_status")}<br>{badge(task.timing_value, "timing")}</td>\n'
        f'    <td>{progress_bar(task.progress)}</td>\n  </tr>'
    )
