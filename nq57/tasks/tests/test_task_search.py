"""Task search (issue 9): whole folded words and phrases, whole-phrase hits first, notice numbers, and a reversed
due-date range refused in plain Vietnamese — the same filter for the HTML list, the export and the API."""

import datetime as dt
import importlib

import pytest
from django.apps import apps as django_apps
from django.urls import reverse

from nq57.core.testing import NoticeFactory, make_task
from nq57.tasks.filters import TaskFilter
from nq57.tasks.models import Task, task_search_key

TODAY = dt.date(2025, 7, 25)


@pytest.fixture
def api_client_for(cast):
    from django.core.cache import caches

    from nq57.api.http import rate_limit_reset
    from nq57.api.services import token_cache_clear, token_create
    from nq57.api.tests.helpers import ApiClient

    caches["api"].clear()
    rate_limit_reset()
    token_cache_clear()

    def make(user):
        return ApiClient(token_create(user=user, name=f"test {user.username}")[1])

    return make


@pytest.fixture
def texts(cast):
    notice = cast.notice  # 30-TB/TGV, with the cast's two tasks
    other = NoticeFactory(number="45-TB/TGV", issued_on=dt.date(2025, 5, 1))
    return {
        # only pieces of the words: "chuyển giao", "sửa đổi", "sở hữu" — must never match "chuyen doi so"
        "pieces": make_task(notice=other, lead=[cast.kh], path="1", due=dt.date(2025, 9, 1),
                            text="Chuyển giao kết quả nghiên cứu, sửa đổi quy định về sở hữu trí tuệ"),
        # every word, in order and close together, but not as one phrase
        "words": make_task(notice=other, lead=[cast.kh], path="2", due=dt.date(2025, 9, 1),
                           text="Chuyển đổi mạnh mẽ sang số hóa hồ sơ quản lý"),
        # every word, but in another order
        "reordered": make_task(notice=other, lead=[cast.kh], path="5", due=dt.date(2025, 9, 1),
                               text="Số liệu về chuyển đổi năng lượng"),
        # the whole phrase
        "phrase": make_task(notice=notice, lead=[cast.kh], path="3", due=dt.date(2025, 9, 1),
                            text="Đẩy mạnh chuyển đổi số quốc gia"),
        "other_in_30": make_task(notice=notice, lead=[cast.tc], path="4", due=dt.date(2025, 10, 1),
                                 text="Hoàn thiện cơ sở dữ liệu về đất đai"),
    }


def found(params: dict) -> list[int]:
    task_filter = TaskFilter(params, today=TODAY)
    assert task_filter.is_valid(), task_filter.errors
    return list(task_filter.ordered("id").values_list("pk", flat=True))


def test_search_key_is_whole_folded_words_padded_with_spaces():
    assert task_search_key("Chuyển đổi số, quốc gia (30-TB/TGV)", "1.a") == " 1 a chuyen doi so quoc gia 30 tb tgv "
    assert task_search_key("") == ""


def test_words_match_whole_words_never_pieces_of_words(texts):
    result = found({"q": "chuyen doi so"})
    assert texts["pieces"].pk not in result
    assert set(result) == {texts["words"].pk, texts["phrase"].pk}
    assert found({"q": "huu tri"}) == [texts["pieces"].pk]
    assert found({"q": "chuyen"}) == sorted(t.pk for t in texts.values() if t != texts["other_in_30"])
    assert texts["reordered"].pk not in result
    assert found({"q": "chuye"}) == []  # a piece of a word finds nothing


def test_the_whole_phrase_ranks_first(texts):
    assert found({"q": "chuyen doi so"}) == [texts["phrase"].pk, texts["words"].pk]
    assert found({"q": "Chuyển đổi số"}) == [texts["phrase"].pk, texts["words"].pk]


def test_a_quoted_phrase_must_appear_as_a_phrase(texts):
    assert found({"q": '"chuyen doi so"'}) == [texts["phrase"].pk]
    assert found({"q": "“chuyển đổi số” quốc gia"}) == [texts["phrase"].pk]
    assert found({"q": '"so hoa" quan ly'}) == [texts["words"].pk]
    assert found({"q": '"so lieu" chuyen'}) == [texts["reordered"].pk]


@pytest.mark.parametrize("query", ["30-TB/TGV", "30 TB TGV", "30/tb-tgv"])
def test_a_notice_number_finds_the_notice_tasks(cast, texts, query):
    in_30 = [cast.task_kh.pk, cast.task_tc.pk, texts["phrase"].pk, texts["other_in_30"].pk]
    assert found({"q": query}) == sorted(in_30)


def test_a_notice_number_with_words_narrows_to_that_notice(texts):
    assert found({"q": "30-TB/TGV dat dai"}) == [texts["other_in_30"].pk]
    assert found({"q": "45-TB/TGV chuyen doi"}) == [texts["words"].pk, texts["reordered"].pk]


def test_the_html_list_ranks_whole_phrase_hits_first(texts, cast, client_for):
    body = client_for(cast.leader).get(reverse("tasks:task_list"), {"q": "chuyen doi so"}).content.decode()
    assert "sở hữu trí tuệ" not in body
    assert body.index("Đẩy mạnh chuyển đổi số") < body.index("Chuyển đổi mạnh mẽ")
    assert "<b>2</b> nhiệm vụ" in body


def test_a_reversed_date_range_says_so_on_the_list_and_the_export(cast, client_for):
    params = {"due_from": "2025-12-31", "due_to": "2025-01-01"}
    client = client_for(cast.office)
    body = client.get(reverse("tasks:task_list"), params).content.decode()
    assert "Khoảng thời hạn bị ngược" in body and "31/12/2025" in body and "01/01/2025" in body
    assert client.get(reverse("tasks:task_export"), params).status_code == 400
    task_filter = TaskFilter(params, today=TODAY)
    assert not task_filter.is_valid()
    assert task_filter.range_error.startswith("Khoảng thời hạn bị ngược")
    assert TaskFilter({"due_from": "2025-01-01", "due_to": "2025-01-01"}, today=TODAY).is_valid()


def test_the_api_refuses_a_reversed_range_with_400_invalid_range(cast, api_client_for):
    client = api_client_for(cast.office)
    response = client.get("/api/v1/tasks", {"due_from": "2025-12-31", "due_to": "2025-01-01"})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_range"
    assert "Khoảng thời hạn bị ngược" in body["message"]


def test_the_api_search_matches_whole_words(texts, cast, api_client_for):
    client = api_client_for(cast.office)
    body = client.get("/api/v1/tasks", {"q": "chuyen doi so"}).json()
    assert {row["id"] for row in body["results"]} == {texts["words"].pk, texts["phrase"].pk}
    body = client.get("/api/v1/tasks", {"q": "30 TB TGV"}).json()
    assert {row["id"] for row in body["results"]} == {cast.task_kh.pk, cast.task_tc.pk, texts["phrase"].pk,
                                                      texts["other_in_30"].pk}


def test_the_migration_rebuilds_old_style_keys(texts):
    Task.objects.filter(pk=texts["phrase"].pk).update(search_key="day manh chuyen doi so quoc gia")
    migration = importlib.import_module("nq57.tasks.migrations.0005_search_key_whole_words")
    migration.rebuild_search_keys(django_apps, None)
    assert Task.objects.get(pk=texts["phrase"].pk).search_key == " 3 day manh chuyen doi so quoc gia "


def test_a_pasted_paragraph_searches_by_its_first_words(texts, cast, client_for):
    long_query = " ".join(["chuyen doi so"] + ["tu"] * 2000) + ' "a b" ' * 50
    response = client_for(cast.leader).get(reverse("tasks:task_list"), {"q": long_query})
    assert response.status_code == 200
