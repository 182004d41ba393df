"""Pieces of task markup repeated on every row of a list (the task list, a notice's tasks, the sub-task tree) and on
the task page: written in Python rather than as included templates, since an ``{% include %}`` per row and per
cell costs more than the rest of the row (measured on the task list of 50 rows)."""

from django import template
from django.template.defaultfilters import truncatewords
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from nq57.core.templatetags.badges import badge

register = template.Library()


@register.simple_tag
def agency_links(assignments):
    """The agencies of ``assignments`` as links ("; " between them), each with the name the document used when it
    differs; a dash when there is none."""
    if not assignments:
        return mark_safe('<span class="muted">—</span>')
    parts = []
    for assignment in assignments:
        agency = assignment.agency
        link = format_html('<a href="{}" title="{}">{}</a>', agency.get_absolute_url(), agency.display_name,
                           agency.name)
        if assignment.assigned_name and assignment.assigned_name != agency.name:
            link += format_html(' <span class="muted small">(giao cho: {})</span>', assignment.assigned_name)
        parts.append((link,))
    return format_html_join("; ", "{}", parts)


@register.simple_tag
def progress_bar(value):
    """A progress bar with its percentage."""
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
        deadline = format_html('<span class="muted">{}</span>', task.get_deadline_kind_display())
    return format_html(
        "<tr>\n    <td><a href=\"{}\">{}</a></td>\n    <td>{}</td>\n    <td><a href=\"{}\">{}</a>{}</td>\n"
        "    <td>{}</td>\n    <td>{}</td>\n    <td>{}<br>{}</td>\n    <td>{}</td>\n  </tr>",
        notice.get_absolute_url(), notice.number or str(notice), task.path or "—",
        task.get_absolute_url(), truncatewords(task.text, 40),
        mark_safe(' <span class="badge muted">nhiệm vụ con</span>') if task.parent_id else "",
        agency_links(task.lead_assignments), deadline,
        badge(task.status, "task_status"), badge(task.timing_value, "timing"), progress_bar(task.progress),
    )
