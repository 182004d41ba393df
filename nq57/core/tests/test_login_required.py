def test_anonymous_users_see_only_the_login_page(client, db):
    response = client.get("/tasks/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert client.get("/accounts/login/").status_code == 200


def test_a_bad_password_gets_a_vietnamese_message_and_keeps_the_username(client, cast):
    response = client.post("/accounts/login/", {"username": "alice", "password": "sai"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "mật khẩu không đúng" in body
    assert 'value="alice"' in body
