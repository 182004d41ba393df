"""``{% badge value "kind" %}``: a state shown with its one label and colour (``nq57.core.badges``)."""

from functools import lru_cache

from django import template
from django.utils.html import format_html

from nq57.core import badges

register = template.Library()


@register.simple_tag
def badge(value, kind: str, text: str = "", element_id: str = ""):
    """``<span class="badge <colour>">label</span>``; ``text`` replaces the label, ``element_id`` sets an id."""
    if not text and not element_id and isinstance(value, str | None):
        return _plain_badge(value, kind)  # the common case, two per row of a task list
    return _badge(value, kind, text, element_id)


@lru_cache(maxsize=512)
def _plain_badge(value, kind: str):
    """A state's badge is a function of the state alone (labels and colours are declared once, at import)."""
    return _badge(value, kind, "", "")


def _badge(value, kind: str, text, element_id: str):
    if element_id:
        return format_html('<span class="badge {}" id="{}">{}</span>', badges.css(value, kind), element_id,
                           text or badges.label(value, kind))
    return format_html('<span class="badge {}">{}</span>', badges.css(value, kind), text or badges.label(value, kind))


@register.filter
def badge_class(value, kind: str) -> str:
    """The CSS class alone: ``<a class="stat {{ item.timing|badge_class:'timing' }}">``."""
    return badges.css(value, kind)


@register.filter
def badge_label(value, kind: str) -> str:
    return badges.label(value, kind)
