"""Public pages are declared on the view (``core.public``); the middleware reads the declaration."""

from django.views import View

from nq57.core.public import PUBLIC, SIGNED_IN, STAFF, PublicMixin, access_level, public, signed_in
from nq57.core.testing import make_citizen


def test_the_declaration_is_read_from_functions_and_class_based_views():
    @public
    def open_view(request):
        return None

    class OpenPage(PublicMixin, View):
        pass

    def internal(request):
        return None

    assert access_level(open_view) == PUBLIC and access_level(OpenPage.as_view()) == PUBLIC
    assert access_level(signed_in(lambda r: None)) == SIGNED_IN and access_level(internal) == STAFF


def test_a_public_view_opens_anonymously_and_an_internal_one_redirects_to_login(db, client):
    for path in ("/accounts/login/", "/accounts/sign-up/", "/agencies/register/", "/healthz",
                 "/accounts/password-reset/"):
        assert client.get(path).status_code == 200, path
    response = client.get("/tasks/?q=x")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/?next=/tasks/%3Fq%3Dx"
    assert client.get("/accounts/me/").status_code == 302  # signed-in level: not for anonymous visitors
    assert client.get("/api/v1/tasks").status_code == 401  # the API answers for itself (token auth), in JSON
    assert client.get("/admin/").status_code == 302


def test_every_refusal_is_the_one_vietnamese_page_and_the_api_answers_json(cast, client):
    client.force_login(cast.alice)
    for method, path in (("post", "/exchange/excel/"), ("get", "/notices/import/"),
                         ("get", "/agencies/registrations/")):
        response = getattr(client, method)(path)
        assert response.status_code == 403, path
        body = response.content.decode()
        assert 'id="forbidden"' in body and "Chỉ Cơ quan Thường trực" in body, path
    client.force_login(make_citizen("khach"))
    api = client.get("/api/v1/tasks")
    assert api.status_code == 403 and api.json()["code"] == "forbidden", api.content
    assert "cán bộ" in api.json()["message"]
