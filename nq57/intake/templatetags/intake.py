"""``{% intake_origin task %}``: the submission a task was made from, on the task page (one include)."""

from django import template

from nq57.intake.selectors import origin_of_task

register = template.Library()


@register.inclusion_tag("intake/_task_origin.html")
def intake_origin(task):
    return {"origin": origin_of_task(task)}
