"""Agency pickers: a plain ``<select>`` (works without script) that ``nq57/static/nq57/agency_picker.js`` turns into
search-as-you-type with removable chips.

Every option carries ``data-search``: the folded (diacritic-free, lower case) full name, official short form and
recorded short name, so "bo khcn", "khoa hoc" or "Bộ KH&CN" find the same agency. Dissolved agencies are left out of
the options unless already selected, when they are marked "(đã giải thể)". Use ``AgencySelect`` /
``AgencySelectMultiple`` on every form field or filter that chooses agencies, and ``pickable`` for its queryset.
"""

from functools import lru_cache

from django import forms
from django.db.models import Q
from django.forms.models import ModelChoiceIterator

from nq57.agencies.models import Agency
from nq57.agencies.naming import display_name
from nq57.text.vietnamese import fold

DISSOLVED_MARK = " (đã giải thể)"


def pickable(keep=()) -> "forms.QuerySet":
    """Agencies one may choose: those that exist today, plus ``keep`` (ids already chosen, dissolved or not)."""
    keep = [pk for pk in keep if pk not in (None, "")]
    return Agency.objects.filter(Q(dissolved_on__isnull=True) | Q(pk__in=keep))


@lru_cache(maxsize=4096)
def _option_texts(name: str, short_name: str, dissolved: bool) -> tuple[str, str, str]:
    """An option's label, ``data-search`` and ``data-short``: a function of the row's values only (so memoised; every
    picker on a page lists the same agencies, and folding their names was most of a picker's time)."""
    shown = display_name(name, short_name)
    label = name if shown == name else f"{name} ({shown})"
    if dissolved:
        label += DISSOLVED_MARK
    parts = dict.fromkeys(part for part in (name, shown, short_name) if part)
    return label, fold(" ".join(parts)), shown + (DISSOLVED_MARK if dissolved else "")


class _AgencyPickerMixin:
    placeholder = "Gõ tên hoặc tên viết tắt để tìm cơ quan…"

    def __init__(self, attrs=None, **kwargs):
        attrs = {"data-agency-picker": "", "data-placeholder": self.placeholder, **(attrs or {})}
        super().__init__(attrs, **kwargs)

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        instance = getattr(value, "instance", None)
        if not isinstance(instance, Agency):
            return super().create_option(name, value, label, selected, index, subindex=subindex, attrs=attrs)
        label, search, short = _option_texts(instance.name, instance.short_name, instance.dissolved_on is not None)
        option = super().create_option(name, value, label, selected, index, subindex=subindex, attrs=attrs)
        option["attrs"]["data-search"] = search
        option["attrs"]["data-short"] = short
        return option

    def optgroups(self, name, value, attrs=None):
        chosen = {str(v) for v in value}
        choices = self.choices
        if (isinstance(choices, ModelChoiceIterator) and choices.queryset.model is Agency
                and choices.field.to_field_name is None):
            return self._row_optgroups(name, chosen, choices, attrs)
        return self._instance_optgroups(name, value, chosen, attrs)

    def _row_optgroups(self, name, chosen, choices, attrs):
        """The options of an agency queryset read as plain rows (one query, no model instances): the same options
        as ``_instance_optgroups`` (compared in ``agencies/tests/test_widgets.py``) at a fraction of the cost: the
        task page has three pickers of every agency."""
        groups = []
        has_selected = False
        index = 0
        if choices.field.empty_label is not None:
            has_selected = "" in chosen
            groups.append((None, [self.create_option(name, "", choices.field.empty_label, has_selected, 0,
                                                     attrs=attrs)], 0))
            index = 1
        base = super().create_option
        for pk, agency_name, short_name, dissolved_on in choices.queryset.values_list(
                "pk", "name", "short_name", "dissolved_on"):
            key = str(pk)
            position = index
            index += 1
            if dissolved_on is not None and key not in chosen:
                continue
            selected = (not has_selected or self.allow_multiple_selected) and key in chosen
            has_selected |= selected
            label, search, short = _option_texts(agency_name, short_name, dissolved_on is not None)
            option = base(name, pk, label, selected, position, attrs=attrs)
            option["attrs"]["data-search"] = search
            option["attrs"]["data-short"] = short
            groups.append((None, [option], position))
        return groups

    def _instance_optgroups(self, name, value, chosen, attrs):
        groups = []
        for group_name, options, index in super().optgroups(name, value, attrs):
            kept = [option for option in options if not self._hidden(option, chosen)]
            if kept:
                groups.append((group_name, kept, index))
        return groups

    @staticmethod
    def _hidden(option, chosen) -> bool:
        instance = getattr(option["value"], "instance", None)
        return (isinstance(instance, Agency) and instance.dissolved_on is not None
                and str(option["value"]) not in chosen)


class AgencySelect(_AgencyPickerMixin, forms.Select):
    pass


class AgencySelectMultiple(_AgencyPickerMixin, forms.SelectMultiple):
    pass
