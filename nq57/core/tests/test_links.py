"""``pk_url`` gives exactly what ``reverse`` gives, also under a script prefix (an app served under a sub-path)."""

import pytest
from django.urls import clear_script_prefix, reverse, set_script_prefix

from nq57.core.links import pk_url

NAMES = ["tasks:task_detail", "agencies:agency_detail", "notices:notice_detail", "hub:problem_detail",
         "hub:offer_detail", "hub:deal_detail"]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("pk", [1, 42, 987654321])
def test_pk_url_is_reverse(name, pk):
    assert pk_url(name, pk) == reverse(name, args=[pk])


def test_pk_url_follows_the_script_prefix():
    try:
        set_script_prefix("/nq57/")
        assert pk_url("tasks:task_detail", 7) == reverse("tasks:task_detail", args=[7]) == "/nq57/tasks/7/"
    finally:
        clear_script_prefix()
    assert pk_url("tasks:task_detail", 7) == "/tasks/7/"


def test_view_url_is_reverse_and_follows_the_script_prefix():
    from nq57.core.links import view_url

    assert view_url("tasks:task_list") == reverse("tasks:task_list") == "/tasks/"
    try:
        set_script_prefix("/nq57/")
        assert view_url("tasks:task_list") == "/nq57/tasks/"
    finally:
        clear_script_prefix()
