"""``{% kept_form_data as kept %}``: the form input kept for this page (``core.kept_form``), handed out once."""

from django import template

from nq57.core import kept_form

register = template.Library()


@register.simple_tag(takes_context=True)
def kept_form_data(context):
    request = context.get("request")
    if request is None:
        return None
    kept = kept_form.pop_for(request)
    if kept is None:
        return None
    return {**kept, "message": kept_form.EXPIRED_MESSAGE + (" " + kept_form.FILES_NOTE if kept.get("files") else "")}
