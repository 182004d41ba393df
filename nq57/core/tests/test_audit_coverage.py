"""Who-may-do-what changes are audited like the data they govern: a task's lead and coordinating agencies, agency
merges, user roles and agencies, API tokens and webhook subscriptions each keep who, when and before/after."""

import datetime as dt

from nq57.agencies.models import Agency
from nq57.agencies.services import agency_dissolve
from nq57.api.models import ApiToken, WebhookSubscription
from nq57.api.services import token_create, token_revoke, webhook_set_active, webhook_subscribe
from nq57.tasks.models import TaskEvent, TaskEventKind
from nq57.tasks.selectors import task_audit
from nq57.tasks.services import task_update


def test_changing_the_lead_agency_is_in_the_audit_with_who_and_before_after(cast):
    task = cast.task_kh
    task_update(task=task, actor=cast.office, expected_version=task.version, lead=[cast.tc], coordinating=[cast.xd])

    entries = [(e.who, e.action, e.subject) for e in task_audit(task) if e.subject.startswith("Cơ quan")]
    office = str(cast.office)
    assert (office, "Xóa", "Cơ quan chủ trì: Bộ Khoa học và Công nghệ") in entries
    assert (office, "Tạo mới", "Cơ quan chủ trì: Bộ Tài chính") in entries
    assert (office, "Xóa", "Cơ quan phối hợp: Bộ Tài chính") in entries
    assert (office, "Tạo mới", "Cơ quan phối hợp: Bộ Xây dựng") in entries

    event = TaskEvent.objects.filter(task=task, kind=TaskEventKind.EDITED).latest("id")
    assert event.details["changes"]["lead"] == [["Bộ Khoa học và Công nghệ"], ["Bộ Tài chính"]]
    assert event.details["changes"]["coordinating"] == [["Bộ Tài chính"], ["Bộ Xây dựng"]]
    assert "cơ quan chủ trì" in event.summary and "cơ quan phối hợp" in event.summary


def test_the_agencies_a_task_was_created_with_are_in_the_audit_and_an_unchanged_lead_adds_nothing(cast):
    task = cast.task_kh
    at_creation = [(e.action, e.subject) for e in task_audit(task) if e.subject.startswith("Cơ quan")]
    assert at_creation == [("Tạo mới", "Cơ quan chủ trì: Bộ Khoa học và Công nghệ"),
                           ("Tạo mới", "Cơ quan phối hợp: Bộ Tài chính")]
    task_update(task=task, actor=cast.office, expected_version=task.version, lead=[cast.kh])
    assert len([e for e in task_audit(task) if e.subject.startswith("Cơ quan")]) == 2


def test_a_merge_moves_the_task_and_the_audit_shows_the_agency_before_and_after(cast):
    successor = Agency.objects.create(name="Bộ Khoa học, Công nghệ và Đổi mới")
    agency_dissolve(agency=cast.kh, successor=successor, on=dt.date(2025, 3, 1), actor=cast.office)

    moved = [e for e in task_audit(cast.task_kh) if e.action == "Sửa" and e.subject.startswith("Cơ quan chủ trì")]
    assert len(moved) == 1 and moved[0].who == str(cast.office)
    change = next(c for c in moved[0].changes if c.field == "cơ quan")
    assert (change.old, change.new) == ("Bộ Khoa học và Công nghệ", "Bộ Khoa học, Công nghệ và Đổi mới")
    record = cast.kh.history.latest()
    assert (record.history_user, record.successor_id, record.dissolved_on) == (cast.office, successor.pk,
                                                                               dt.date(2025, 3, 1))


def test_an_admin_change_of_a_users_memberships_is_audited_without_the_password(cast, client):
    from django.contrib.auth import get_user_model

    from nq57.accounts.models import Membership

    admin = get_user_model().objects.create_superuser("quantri", "quantri@example.vn", "mat-khau-quan-tri-1")
    client.force_login(admin)
    bob = cast.bob
    membership = Membership.objects.get(user=bob)
    response = client.post(f"/admin/accounts/user/{bob.pk}/change/", {
        "username": bob.username, "full_name": bob.full_name, "email": "bob@example.vn",
        "is_active": "on", "date_joined_0": "01/01/2025", "date_joined_1": "08:00:00",
        "initial-date_joined_0": "01/01/2025", "initial-date_joined_1": "08:00:00",
        "memberships-TOTAL_FORMS": "1", "memberships-INITIAL_FORMS": "1", "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000", "memberships-0-id": membership.pk, "memberships-0-user": bob.pk,
        "memberships-0-organisation": cast.kh.pk, "memberships-0-role": "focal_point",
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    assert list(Membership.objects.filter(user=bob).values_list("organisation_id", "role")) == [
        (cast.kh.pk, "focal_point")]
    removed, added = Membership.history.filter(user_id=bob.pk).order_by("history_id")[1:]
    assert (removed.history_type, removed.organisation_id, removed.history_user) == ("-", cast.tc.pk, admin)
    assert (added.history_type, added.organisation_id, added.history_user) == ("+", cast.kh.pk, admin)
    latest = bob.history.latest()
    assert latest.history_user == admin and latest.email == "bob@example.vn"
    assert not hasattr(latest, "password")  # the hash is never copied into the history table
    assert client.get(f"/admin/accounts/user/{bob.pk}/history/").status_code == 200


def test_tokens_and_webhooks_keep_who_created_revoked_and_paused_them_but_not_their_secrets(cast):
    token, _ = token_create(user=cast.alice, name="Kết nối")
    token_revoke(token=token, actor=cast.alice)
    records = list(ApiToken.history.filter(id=token.pk).order_by("history_id"))
    assert [r.history_type for r in records][0] == "+" and records[-1].revoked_at is not None
    assert records[-1].history_user == cast.alice
    assert not hasattr(records[-1], "key_hash")

    hook = webhook_subscribe(actor=cast.office, url="https://r71.gov.vn/hook", secret="khoa-ky-du-dai-12345",
                             events=["task.created"])
    webhook_set_active(actor=cast.office, subscription=hook, is_active=False)
    paused = WebhookSubscription.history.filter(id=hook.pk).latest()
    assert (paused.history_user, paused.is_active) == (cast.office, False)
    assert not hasattr(paused, "secret")


def test_the_timeline_names_a_theme_change_and_a_no_op_edit_leaves_no_entry(cast):
    from nq57.taxonomy.models import Theme

    task = cast.task_kh
    edits = TaskEvent.objects.filter(task=task, kind=TaskEventKind.EDITED)
    task_update(task=task, actor=cast.office, expected_version=task.version, lead=[cast.kh], coordinating=[cast.tc],
                themes=list(task.themes.all()))
    assert not edits.exists()
    ai = Theme.objects.create(name="Trí tuệ nhân tạo thử", code="ai-thu")
    task_update(task=task, actor=cast.office, expected_version=task.version, themes=[ai])
    event = edits.get()
    assert event.summary == "Sửa nhiệm vụ: chủ đề" and event.details["changes"]["themes"][1] == ["Trí tuệ nhân tạo thử"]
