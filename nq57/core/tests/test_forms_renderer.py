"""``FastSelectRenderer`` writes the same HTML as Django's widget templates, byte for byte (selects, inputs, text
areas, lists of checkboxes and radio buttons)."""

import datetime as dt

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from nq57.core.forms_renderer import FastSelectRenderer
from nq57.core.testing import AgencyFactory


class Everything(forms.Form):
    plain = forms.ChoiceField(choices=[("", "Mọi cơ quan"), ("a", "A & <B>"), ("1", 'Bộ "KH&CN"')])
    grouped = forms.ChoiceField(choices=[("Nhóm <1>", [("x", "X"), ("y", "Ý")]), ("z", "Z")])
    numbers = forms.TypedChoiceField(choices=[(1, 1000), (2, 2.5), (3, dt.date(2025, 12, 31))], coerce=int)
    several = forms.MultipleChoiceField(choices=[("a", "A"), ("b", "B"), ("c", mark_safe("<i>C</i>"))])
    attrs = forms.ChoiceField(choices=[("a", "A")], widget=forms.Select(attrs={
        "class": 'x "y"', "required": True, "disabled": False, "data-n": 3, "aria-label": "Chọn & lọc"}))
    agency = forms.ModelChoiceField(queryset=None, required=False, empty_label="Mọi cơ quan")
    agencies = forms.ModelMultipleChoiceField(queryset=None, required=False)
    flag = forms.NullBooleanField()
    text = forms.CharField(required=False, widget=forms.TextInput(attrs={"placeholder": "Tìm <x> & \"y\""}))
    number = forms.IntegerField(required=False, min_value=0, max_value=100)
    day = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    hidden = forms.IntegerField(required=False, widget=forms.HiddenInput)
    mail = forms.EmailField(required=False)
    check = forms.BooleanField(required=False)
    body = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3, "maxlength": 2000}))
    initial = forms.CharField(required=False, initial="Giá trị <đầu> & 'cuối'")
    boxes = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple, choices=[
        ("a", "A & <B>"), ("Nhóm <1>", [("x", "X"), ("y", mark_safe("<i>Ý</i>"))]), (3, dt.date(2025, 12, 31))])
    radios = forms.ChoiceField(required=False, widget=forms.RadioSelect(attrs={"class": 'r "s"'}),
                               choices=[("1", "Một"), ("2", 2000)])
    themes = forms.ModelMultipleChoiceField(queryset=None, required=False, widget=forms.CheckboxSelectMultiple)


@pytest.mark.django_db
@pytest.mark.parametrize("data", [None, {"plain": "a", "grouped": "y", "numbers": "2", "several": ["a", "c"],
                                         "attrs": "a", "flag": "true", "text": "Bộ <KH&CN> \"x\"", "number": "250",
                                         "day": "2025-12-31", "hidden": "7", "mail": "sai@", "check": "on",
                                         "body": "Dòng 1\n<b>dòng 2</b> & 3", "initial": "", "boxes": ["a", "y"],
                                         "radios": "2"}])
def test_every_select_is_written_as_the_templates_write_it(data):
    for i in range(3):
        AgencyFactory(name=f"Cơ quan <{i}> & \"con\"")
    from nq57.agencies.models import Agency

    def form(renderer):
        bound = Everything(data, renderer=renderer)
        bound.fields["agency"].queryset = Agency.objects.order_by("id")
        bound.fields["agencies"].queryset = Agency.objects.order_by("id")
        bound.fields["themes"].queryset = Agency.objects.order_by("id")
        if data:
            bound.data = {**data, "agency": str(Agency.objects.first().pk),
                          "agencies": [str(a.pk) for a in Agency.objects.all()[:2]]}
        return bound

    stock, fast = form(DjangoTemplates()), form(FastSelectRenderer())
    if data:
        stock.is_valid(), fast.is_valid()  # rendered with their errors and the values typed
    for name in Everything.base_fields:
        assert str(fast[name]) == str(stock[name]), name
    assert str(fast) == str(stock)
    renderer = fast.renderer
    assert all(renderer._stock.values()) and len(renderer._stock) >= 14  # the fast paths were taken
