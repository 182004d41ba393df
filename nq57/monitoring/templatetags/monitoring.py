from django import template

from nq57.monitoring.alerts import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    """The signed-in user's unread notification count, for the navigation bar (one COUNT query, indexed)."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    return unread_count(user=user)
