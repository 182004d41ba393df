"""The form renderer (``settings.FORM_RENDERER``): Django's own, with ``<select>`` written in Python.

Django renders a select through one template include per option (and one more per option for its attributes); on the
task page and the task list, whose pickers list every agency, notice and theme, that was most of the page's time.
``FastSelectRenderer`` writes the same HTML, byte for byte (``nq57/core/tests/test_forms_renderer.py`` compares both
on every kind of select), when the widget uses Django's stock select templates; any other template (a project
override, another widget) goes through the templates as before.
"""

from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.timezone import template_localtime

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"


def _text(value) -> str:
    """``{{ value }}`` in an autoescaped template (local time, localized numbers and dates, escaped unless safe)."""
    return str(conditional_escape(localize(template_localtime(value))))


def _attrs(attrs: dict) -> str:
    """``django/forms/widgets/attrs.html``."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(f" {_text(name)}" if value is True else f' {_text(name)}="{conditional_escape(str(value))}"')
    return "".join(parts)


def _option(option: dict) -> str:
    return f'<option value="{conditional_escape(str(option["value"]))}"{_attrs(option["attrs"])}>' \
           f"{_text(option['label'])}</option>"


class FastSelectRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        if template_name == SELECT:
            widget = context["widget"]
            groups = widget["optgroups"]
            if all(option["template_name"] == OPTION for _, options, _ in groups for option in options):
                parts = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
                for group_name, options, _ in groups:
                    if group_name:
                        parts.append(f'\n  <optgroup label="{_text(group_name)}">')
                    for option in options:
                        parts.append("\n  " + _option(option) + "\n")
                    if group_name:
                        parts.append("\n  </optgroup>")
                parts.append("\n</select>")
                return "".join(parts)
        return super().render(template_name, context, request)
