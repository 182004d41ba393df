"""A form's fields as the platform's forms show them (the task page's action forms, the indicator forms), written in
Python: the Standing Office's task page carries up to eight forms and about thirty fields (the task edit form, measured:
3.0 ms through an included template, 2.5 ms here)."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()


def _error_items(errors) -> str:
    return "".join(format_html("<li>{}</li>", error) for error in errors)


@register.simple_tag
def form_fields(form, lost_files=()):
    """The fields of ``form``: the form's own errors, hidden fields, then per visible field its
    label, widget, errors (``id="<field id>_errors"``, announced), the attachments the last attempt could not keep
    (``lost_files``, beside the attachments field) and help text."""
    parts = []
    errors = form.non_field_errors()
    if errors:
        parts.append(format_html('<ul class="errorlist" role="alert">{}</ul>', mark_safe(_error_items(errors))))
    for field in form.hidden_fields():
        parts.append(str(field))
        parts.extend(format_html('<p class="error">{}</p>', error) for error in field.errors)
    for field in form.visible_fields():
        parts.append(format_html('\n  <label for="{}">{}</label>\n  {}', field.id_for_label, field.label, field))
        if field.errors:
            parts.append(format_html('\n  <ul class="errorlist" id="{}_errors" role="alert">{}</ul>', field.auto_id,
                                     mark_safe(_error_items(field.errors))))
        if field.name == "attachments" and lost_files:
            parts.append(format_html('\n  <ul class="error small" id="lost-files">{}</ul>',
                                     mark_safe(_error_items(lost_files))))
        if field.help_text:
            parts.append(format_html('\n  <span class="muted small">{}</span>', field.help_text))
    return mark_safe("".join(parts) + "\n")
