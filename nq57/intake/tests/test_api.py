import pytest
from django.core import signing

from nq57.api.services import token_create
from nq57.api.tests.helpers import ApiClient, assert_error
from nq57.intake import services
from nq57.intake.models import Submission, SubmissionStatus
from nq57.intake.tests.conftest import INITIATIVE

pytestmark = pytest.mark.django_db


def _api(user):
    _, raw = token_create(user=user, name=f"test {user.username}")
    return ApiClient(raw)


def _routed(cast):
    s = services.submission_submit(**INITIATIVE, sender_name="A", sender_contact="a@example.vn")
    services.contact_verify(token=signing.dumps({"id": s.pk, "c": s.sender_key}, salt=services.VERIFY_SALT))
    return services.submission_route(submission=s, agency=cast.kh, actor=cast.office)


def test_list_read_and_answer_with_idempotency(cast):
    s = _routed(cast)
    bob, alice = _api(cast.bob), _api(cast.alice)
    listing = bob.get("intake/submissions").json()
    assert [r["tracking_code"] for r in listing["results"]] == [s.tracking_code]
    assert "a@example.vn" not in str(listing)
    assert bob.get("intake/submissions", {"q": "thiet bi do kiem"}).json()["results"][0]["id"] == s.pk
    mine = alice.get("intake/submissions", {"routed_to_me": "true"}).json()["results"]
    assert [r["id"] for r in mine] == [s.pk]
    body = {"answer": "Sẽ thí điểm.", "decision": "pilot", "reasons": "Khả thi.",
            **dict.fromkeys(services.SCORES, 4)}
    assert_error(bob.post(f"intake/submissions/{s.pk}/answer", body), 403)
    assert_error(alice.post(f"intake/submissions/{s.pk}/answer", {"answer": "x"}), 400)
    first = alice.post(f"intake/submissions/{s.pk}/answer", body, headers={"Idempotency-Key": "k-1"})
    assert first.status_code == 200, first.content
    again = alice.post(f"intake/submissions/{s.pk}/answer", body, headers={"Idempotency-Key": "k-1"})
    assert again.status_code == 200 and again.json() == first.json()
    assert Submission.objects.get().status == SubmissionStatus.ANSWERED
    assert bob.get(f"intake/submissions/{s.pk}").json()["answer"] == "Sẽ thí điểm."


def test_unpublished_is_not_found(cast):
    s = services.submission_submit(**INITIATIVE, sender_name="A", sender_contact="a@example.vn")
    assert_error(_api(cast.bob).get(f"intake/submissions/{s.pk}"), 404)


def test_detail_etag_answers_304_until_the_submission_changes(cast):
    s = _routed(cast)
    bob, alice = _api(cast.bob), _api(cast.alice)
    url = f"intake/submissions/{s.pk}"
    first = bob.get(url)
    etag = first["ETag"]
    assert first.status_code == 200 and etag.startswith('"intake-')
    unchanged = bob.get(url, headers={"If-None-Match": etag})
    assert unchanged.status_code == 304 and unchanged["ETag"] == etag
    assert bob.get(url, headers={"If-None-Match": f'"other", W/{etag}'}).status_code == 304
    assert bob.get(url, headers={"If-None-Match": '"intake-0-stale"'}).status_code == 200
    services.support_add(submission=s, user=cast.bob)  # the support count is part of what is read
    changed = bob.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag
    # answering with a stale If-Match is refused; with the current one it goes through
    body = {"answer": "Sẽ thí điểm.", "decision": "pilot", "reasons": "Khả thi.",
            **dict.fromkeys(services.SCORES, 4)}
    stale = alice.post(f"{url}/answer", body, headers={"If-Match": etag})
    assert_error(stale, 412)
    assert Submission.objects.get().status == SubmissionStatus.RECEIVED
    done = alice.post(f"{url}/answer", body, headers={"If-Match": changed["ETag"]})
    assert done.status_code == 200, done.content
    assert bob.get(url, headers={"If-None-Match": done["ETag"]}).status_code == 304
