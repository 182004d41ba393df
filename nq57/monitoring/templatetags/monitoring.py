"""The navigation's unread count, and the overview's table rows written in Python: a template loop reads a few
lookups and filters per row and per cell, which was two thirds of the overview's rendering (about 80 rows)."""

from html import escape

from django import template
from django.template.defaultfilters import truncatechars
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime

from nq57.monitoring.alerts import unread_count

register = template.Library()

# ``escape`` is the standard library's, which ``django.utils.html.escape`` applies too (the same text out)


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    """The signed-in user's unread notification count, for the navigation bar (one COUNT query, indexed)."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    return unread_count(user=user)


def _rows(rows, indent: int = 8) -> str:
    """Rows as the template's loop laid them out (``<tbody>{% for %}`` / ``{% endfor %}</tbody>``, the rows
    ``indent`` spaces in)."""
    before, after = "\n" + " " * indent, "\n" + " " * (indent - 2)
    return mark_safe("".join(f"{before}{row}{after}" for row in rows))


@register.simple_tag
def due_task_rows(tasks):
    """The overview's next deadlines: due date, the task (linked) with the start of its text, its lead agencies
    (``lead_names``)."""
    return _rows(
        f'<tr><td class="num">{task.deadline_due.strftime("%d/%m/%Y") if task.deadline_due else ""}</td>\n'
        f'          <td><a href="{escape(task.get_absolute_url())}">{escape(str(task))}</a> '
        f'<span class="small">{escape(truncatechars(task.text, 110))}</span></td>\n'
        f'          <td class="small">{"; ".join(escape(name) for name in task.lead_names)}</td></tr>'
        for task in tasks)


@register.simple_tag
def overdue_agency_rows(rows):
    """The overview's overdue tasks per lead agency: its short name, the count linked to those tasks."""
    return _rows(f'<tr><td>{escape(row["short_name"])}</td><td class="num"><a href="{escape(row["url"])}">'
                 f'{row["count"]}</a></td></tr>' for row in rows)


@register.simple_tag
def awaiting_report_rows(reports):
    """The overview's reports waiting for assessment: sent at (local time), task, agency, percent, claimed status."""
    rows = [
        f'<tr><td class="num">{localtime(report.submitted_at).strftime("%d/%m/%Y %H:%M")}</td>\n'
        f'        <td><a href="{escape(report.task.get_absolute_url())}">{escape(str(report.task))}</a></td>\n'
        f'        <td>{escape(report.agency.display_name)}</td><td class="num">{report.percent}%</td>\n'
        f'        <td><span class="badge muted">{escape(str(report.get_claimed_status_display()))}</span></td></tr>'
        for report in reports]
    return _rows(rows, indent=6)
