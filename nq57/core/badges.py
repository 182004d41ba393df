"""One home for how a state looks: the label (the TextChoices label) and the badge colour of every status-like
choice (task status, timing class, report and extension states, ...).

An app declares the colours of its choices once, beside the choices::

    badges.register("task_status", TaskStatus, {TaskStatus.OPEN: "danger", ...})

and everything reads them from here: Python (``badges.css(TaskStatus.DONE)``, ``badges.colour(...)`` for charts)
and templates (``{% load badges %}{% badge task.status "task_status" %}`` → ``<span class="badge success">…``).
The CSS classes are the badge classes of ``static/nq57/site.css``; ``COLOURS`` are the same colours for charts.
"""

from django.db import models

#: the colour behind each badge class (site.css ``--success`` etc.), for charts drawn outside the page's CSS
COLOURS = {
    "success": "#1e7b34",
    "warning": "#a66300",
    "danger": "#b3261e",
    "info": "#0b5cad",
    "attention": "#8a5a00",
    "muted": "#5f6b7a",
}

_KINDS: dict[str, type[models.TextChoices]] = {}
_CSS: dict[type[models.TextChoices], dict[str, str]] = {}


def register(kind: str, choices: type[models.TextChoices], css: dict) -> None:
    """Declare the badge class of every value of ``choices`` under the name templates use (``kind``)."""
    missing = set(choices.values) - {str(value) for value in css}
    if missing:
        raise ValueError(f"{choices.__name__}: no badge colour for {sorted(missing)}")
    unknown = set(css.values()) - set(COLOURS)
    if unknown:
        raise ValueError(f"{choices.__name__}: unknown badge classes {sorted(unknown)}")
    _KINDS[kind] = choices
    _CSS[choices] = {str(value): css_class for value, css_class in css.items()}


def _choices_of(value, kind: str | None = None) -> type[models.TextChoices]:
    if kind is not None:
        return _KINDS[kind]
    return type(value)


def css(value, kind: str | None = None) -> str:
    """The badge CSS class of a choice value (a member, or a plain string with ``kind``)."""
    return _CSS[_choices_of(value, kind)].get(str(value), "muted")


def label(value, kind: str | None = None) -> str:
    choices = _choices_of(value, kind)
    return str(choices(str(value)).label) if str(value) in choices.values else str(value)


def colour(value, kind: str | None = None) -> str:
    """The colour (hex) of a choice's badge, for charts."""
    return COLOURS[css(value, kind)]
