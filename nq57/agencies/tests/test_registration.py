"""Self-registration of an organisation: pending (cannot publish) until the Standing Office verifies it."""

import pytest

from nq57.agencies import services
from nq57.agencies.models import Agency, Verification
from nq57.core.errors import PermissionDeniedError, ServiceError
from nq57.core.testing import make_citizen

FORM = {"name": "Trường Đại học Công nghệ Thử nghiệm", "kind": "university", "tax_code": "0101234567",
        "address": "144 Xuân Thủy, Hà Nội", "contact_name": "Lê Thị Liên", "contact_email": "lien@example.vn",
        "contact_phone": "024 1234 5678"}


def test_a_registered_organisation_cannot_publish_until_the_office_verifies_it(cast, client):
    response = client.post("/agencies/register/", FORM)  # anonymous: a public form
    assert response.status_code == 200 and "chờ xác minh" in response.content.decode()
    organisation = Agency.objects.get(name=FORM["name"])
    assert organisation.verification == Verification.PENDING and not organisation.can_publish
    assert organisation.tax_code == "0101234567" and organisation.registered_by is None

    client.force_login(cast.alice)  # a focal point may not verify
    assert client.get("/agencies/registrations/").status_code == 403
    refused = client.post(f"/agencies/registrations/{organisation.pk}/", {"decision": "verify"})
    assert refused.status_code == 403 and "Chỉ Cơ quan Thường trực" in refused.content.decode()
    with pytest.raises(PermissionDeniedError):
        services.organisation_verify(organisation=organisation, actor=cast.alice)
    organisation.refresh_from_db()
    assert not organisation.can_publish

    client.force_login(cast.office)
    assert FORM["name"] in client.get("/agencies/registrations/").content.decode()
    assert client.post(f"/agencies/registrations/{organisation.pk}/", {"decision": "verify"}).status_code == 302
    organisation.refresh_from_db()
    assert organisation.can_publish and organisation.verified_by == cast.office and organisation.verified_at
    assert organisation.history.latest().history_user == cast.office


def test_a_rejection_needs_a_reason_and_keeps_it(cast):
    organisation = services.organisation_register(**FORM)
    with pytest.raises(ServiceError) as caught:
        services.organisation_reject(organisation=organisation, actor=cast.office, reason=" ")
    assert caught.value.field == "reason"
    services.organisation_reject(organisation=organisation, actor=cast.office, reason="Không xác định được tổ chức.")
    organisation.refresh_from_db()
    assert organisation.verification == Verification.REJECTED and not organisation.can_publish
    assert organisation.verification_reason == "Không xác định được tổ chức."


def test_a_signed_in_registrant_becomes_a_member_and_the_registry_refuses_a_known_name(cast, client):
    citizen = make_citizen("nguoidangky")
    client.force_login(citizen)
    assert client.post("/agencies/register/", FORM).status_code == 200
    organisation = Agency.objects.get(name=FORM["name"])
    assert organisation.registered_by == citizen and citizen.organisation_ids("member") == (organisation.pk,)
    assert not citizen.is_staff_side  # a member of an unverified organisation opens no internal page
    again = client.post("/agencies/register/", {**FORM, "name": "Bộ Tài chính"})
    assert again.status_code == 400 and "đã có trong danh mục" in again.content.decode()


def test_registry_rows_are_verified_and_can_publish(cast):
    assert cast.kh.verification == Verification.VERIFIED and cast.kh.can_publish


def test_a_pending_or_rejected_organisation_is_not_listed_looked_up_or_opened_by_others(cast, client):
    from nq57.api.services import token_create
    from nq57.api.tests.helpers import ApiClient

    pending = services.organisation_register(**FORM)
    rejected = services.organisation_register(**{**FORM, "name": "Công ty Giả Danh Bộ", "tax_code": "0109999999"})
    services.organisation_reject(organisation=rejected, reason="Không xác minh được mã số thuế.", actor=cast.office)
    # a notice naming it must not resolve to an unverified registration
    assert services.agency_lookup(FORM["name"]) is None

    client.force_login(cast.alice)
    listing = client.get("/agencies/", {"q": "thu nghiem"}).content.decode()
    assert FORM["name"] not in listing
    assert client.get(f"/agencies/{pending.pk}/").status_code == 404
    assert client.get(f"/agencies/{rejected.pk}/").status_code == 404
    api = ApiClient(token_create(user=cast.alice, name="registry")[1])
    names = {row["name"] for row in api.get("agencies", {"q": "thu nghiem"}).json()["results"]}
    assert FORM["name"] not in names
    assert api.get(f"agencies/{pending.pk}").status_code == 404

    client.force_login(cast.office)  # the office sees every registration
    assert FORM["name"] in client.get("/agencies/", {"q": "thu nghiem"}).content.decode()
    assert client.get(f"/agencies/{pending.pk}/").status_code == 200

    services.organisation_verify(organisation=pending, actor=cast.office)
    assert services.agency_lookup(FORM["name"]) == pending
    client.force_login(cast.alice)
    assert FORM["name"] in client.get("/agencies/", {"q": "thu nghiem"}).content.decode()
