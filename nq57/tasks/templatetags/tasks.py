"""Pieces of task markup repeated on every row of a list (the task list, a notice's tasks, the sub-task tree) and on
the task page: written in Python rather than as included templates, since an ``{% include %}`` per row and per
cell costs more than the rest of the row (measured on the task list of 50 rows)."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

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
