"""The form renderer (``settings.FORM_RENDERER``): Django's own, with ``<select>``, ``<input>``, ``<textarea>`` and
lists of checkboxes and radio buttons written in Python.

Django renders a select through one template include per option (and one more per option for its attributes); on the
task page and the task list, whose pickers list every agency, notice and theme, that was most of the page's time.
``FastSelectRenderer`` writes the same HTML, byte for byte (``nq57/core/tests/test_forms_renderer.py`` compares both
on every kind of select), when the widget uses Django's stock select templates; any other template (a project
override, another widget) goes through the templates as before.
"""

from functools import lru_cache

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
    value, attrs, label = option["value"], option["attrs"], option["label"]
    if type(label) is str and all(type(v) in (str, bool) for v in attrs.values()):
        # plain text in, the same text out: the pickers list the same agencies on every page
        return _plain_option(str(value), tuple(attrs.items()), label)
    return f'<option value="{conditional_escape(str(value))}"{_attrs(attrs)}>{_text(label)}</option>'


@lru_cache(maxsize=8192)
def _plain_option(value: str, attrs: tuple, label: str) -> str:
    return f'<option value="{conditional_escape(value)}"{_attrs(dict(attrs))}>{conditional_escape(label)}</option>'


INPUT_INCLUDE = '{% include "django/forms/widgets/input.html" %}\n'
#: widget templates that only include input.html (Django's own; a project override disables the fast path)
INPUTS = {f"django/forms/widgets/{name}.html" for name in (
    "input", "text", "number", "email", "url", "password", "hidden", "date", "datetime", "time", "search", "tel",
    "color", "checkbox")}
TEXTAREA = "django/forms/widgets/textarea.html"
STOCK = {
    "django/forms/widgets/input.html": '<input type="{{ widget.type }}" name="{{ widget.name }}"{% if widget.value '
    '!= None %} value="{{ widget.value|stringformat:\'s\' }}"{% endif %}{% include "django/forms/widgets/attrs.html"'
    ' %}>\n',
    TEXTAREA: '<textarea name="{{ widget.name }}"{% include "django/forms/widgets/attrs.html" %}>\n{% if widget.value '
    '%}{{ widget.value }}{% endif %}</textarea>\n',
    "django/forms/widgets/attrs.html": '{% for name, value in widget.attrs.items %}{% if value is not False %} '
    '{{ name }}{% if value is not True %}="{{ value|stringformat:\'s\' }}"{% endif %}{% endif %}{% endfor %}',
}


#: lists of checkboxes and radio buttons (Django's stock templates: each option an include of an include)
MULTIPLE_INPUT = "django/forms/widgets/multiple_input.html"
INPUT_OPTION = "django/forms/widgets/input_option.html"
MULTIPLE = {"django/forms/widgets/checkbox_select.html": "django/forms/widgets/checkbox_option.html",
            "django/forms/widgets/radio.html": "django/forms/widgets/radio_option.html"}
STOCK.update({
    MULTIPLE_INPUT: '{% with id=widget.attrs.id %}<div{% if id %} id="{{ id }}"{% endif %}{% if widget.attrs.class %}'
    ' class="{{ widget.attrs.class }}"{% endif %}>{% for group, options, index in widget.optgroups %}{% if group %}\n'
    '  <div><label>{{ group }}</label>{% endif %}{% for option in options %}<div>\n    {% include option.template_name'
    ' with widget=option %}</div>{% endfor %}{% if group %}\n  </div>{% endif %}{% endfor %}\n</div>{% endwith %}\n',
    INPUT_OPTION: '{% if widget.wrap_label %}<label{% if widget.attrs.id %} for="{{ widget.attrs.id }}"{% endif %}>'
    '{% endif %}{% include "django/forms/widgets/input.html" %}{% if widget.wrap_label %} {{ widget.label }}</label>'
    '{% endif %}\n',
})
MULTIPLE_INCLUDE = '{% include "django/forms/widgets/multiple_input.html" %}\n'
OPTION_INCLUDE = '{% include "django/forms/widgets/input_option.html" %}\n'


def _input(widget: dict) -> str:
    """``django/forms/widgets/input.html`` (without its closing line break)."""
    value = widget["value"]
    shown = f' value="{conditional_escape(str(value))}"' if value is not None else ""
    return f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"{shown}{_attrs(widget["attrs"])}>'


def _input_option(option: dict) -> str:
    """``checkbox_option.html`` / ``radio_option.html`` through ``input_option.html`` and ``input.html``, with the
    line breaks each included file ends with."""
    if not option["wrap_label"]:
        return _input(option) + "\n\n\n"
    target = option["attrs"].get("id")
    opening = f'<label for="{_text(target)}">' if target else "<label>"
    return f'{opening}{_input(option)}\n {_text(option["label"])}</label>\n\n'


class FastSelectRenderer(DjangoTemplates):
    """Selects, inputs and text areas written in Python when their templates are Django's stock ones."""

    def __init__(self):
        super().__init__()
        self._stock: dict[str, bool] = {}

    def _is_stock(self, name: str, expected: str) -> bool:
        if name not in self._stock:
            try:
                source = self.engine.get_template(name).template.source
            except Exception:  # noqa: BLE001 - unknown template: never the fast path
                source = None
            self._stock[name] = source == expected
        return self._stock[name]

    def _fast_ok(self, name: str) -> bool:
        return self._is_stock("django/forms/widgets/attrs.html", STOCK["django/forms/widgets/attrs.html"]) and (
            (name in INPUTS and (name == "django/forms/widgets/input.html" or self._is_stock(name, INPUT_INCLUDE))
             and self._is_stock("django/forms/widgets/input.html", STOCK["django/forms/widgets/input.html"]))
            or (name == TEXTAREA and self._is_stock(TEXTAREA, STOCK[TEXTAREA])))

    def _multiple_ok(self, name: str, option_template: str) -> bool:
        return (self._is_stock(name, MULTIPLE_INCLUDE) and self._is_stock(option_template, OPTION_INCLUDE)
                and self._is_stock(MULTIPLE_INPUT, STOCK[MULTIPLE_INPUT])
                and self._is_stock(INPUT_OPTION, STOCK[INPUT_OPTION])
                and self._fast_ok("django/forms/widgets/input.html"))

    def render(self, template_name, context, request=None):
        if template_name in MULTIPLE and self._multiple_ok(template_name, MULTIPLE[template_name]):
            widget = context["widget"]
            groups = widget["optgroups"]
            if all(option["template_name"] == MULTIPLE[template_name] for _, options, _ in groups
                   for option in options):
                target, css = widget["attrs"].get("id"), widget["attrs"].get("class")
                parts = ["<div", f' id="{_text(target)}"' if target else "", f' class="{_text(css)}"' if css else "",
                         ">"]
                for group_name, options, _ in groups:
                    if group_name:
                        parts.append(f"\n  <div><label>{_text(group_name)}</label>")
                    for option in options:
                        parts.append(f"<div>\n    {_input_option(option)}</div>")
                    if group_name:
                        parts.append("\n  </div>")
                parts.append("\n</div>")
                return "".join(parts)
        if (template_name in INPUTS or template_name == TEXTAREA) and self._fast_ok(template_name):
            widget = context["widget"]
            if template_name == TEXTAREA:
                value = widget["value"]
                return (f'<textarea name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>\n'
                        f'{_text(value) if value else ""}</textarea>')
            return _input(widget)
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
