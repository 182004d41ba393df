"""One rule for sub-tasks, whoever writes them and however: creating one and every later edit (web form, API PATCH)
let a focal point give a sub-task only to its own agency or units, keep its deadline within the parent's, and never
take over a sub-task the office gave to another agency."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from nq57.agencies.models import Agency
from nq57.api.services import token_create
from nq57.api.tests.helpers import ApiClient
from nq57.tasks.models import AssignmentRole, Task
from nq57.tasks.services import subtask_create

PARENT_DUE = dt.date(2025, 7, 30)  # cast.task_kh: lead Bộ KH&CN (alice), deadline 30/7/2025


@pytest.fixture
def subtasks(cast):
    kh_unit = Agency.objects.create(name="Viện Chiến lược KH&CN", parent=cast.kh)
    own = subtask_create(parent=cast.task_kh, actor=cast.alice, text="Dự thảo quy chế", lead=cast.kh,
                         deadline_due=dt.date(2025, 7, 1))
    given_by_office = subtask_create(parent=cast.task_kh, actor=cast.office, text="Thẩm định kinh phí", lead=cast.tc,
                                     deadline_due=dt.date(2025, 7, 1))
    return {"own": own, "office": given_by_office, "unit": kh_unit}


def leads(task: Task) -> set[str]:
    return set(task.assignments.filter(role=AssignmentRole.LEAD).values_list("agency__name", flat=True))


def web_edit(client, task: Task, **overrides):
    data = {"text": task.text, "deadline_kind": task.deadline_kind, "deadline_due": task.deadline_due.isoformat(),
            "lead": [a.agency_id for a in task.assignments.filter(role=AssignmentRole.LEAD)],
            "version": str(Task.objects.get(pk=task.pk).version)}
    data.update(overrides)
    return client.post(reverse("tasks:task_edit", args=[task.pk]), data)


def api_edit(user, task: Task, payload: dict):
    _, raw = token_create(user=user, name="rules")
    api = ApiClient(raw)
    etag = api.get(f"tasks/{task.pk}")["ETag"]
    return api.patch(f"tasks/{task.pk}", payload, headers={"If-Match": etag})


# --- web form ------------------------------------------------------------------------------------------------------

def test_web_a_focal_point_moves_its_own_sub_task_to_one_of_its_units(cast, subtasks, client):
    client.force_login(cast.alice)
    response = web_edit(client, subtasks["own"], lead=[subtasks["unit"].pk])
    assert response.status_code == 302
    assert leads(subtasks["own"]) == {"Viện Chiến lược KH&CN"}


def test_web_a_focal_point_cannot_reassign_its_sub_task_to_another_agency(cast, subtasks, client):
    client.force_login(cast.alice)
    response = web_edit(client, subtasks["own"], lead=[cast.tc.pk])
    assert response.status_code == 400
    assert "Chỉ được giao nhiệm vụ con cho chính cơ quan mình" in response.content.decode()
    assert leads(subtasks["own"]) == {"Bộ Khoa học và Công nghệ"}


def test_web_a_focal_point_cannot_add_another_agency_as_partner(cast, subtasks, client):
    client.force_login(cast.alice)
    response = web_edit(client, subtasks["own"], coordinating=[cast.xd.pk])
    assert response.status_code == 400
    assert not subtasks["own"].assignments.filter(role=AssignmentRole.COORDINATING).exists()


def test_web_a_focal_point_cannot_take_over_a_sub_task_the_office_gave_to_another_agency(cast, subtasks, client):
    client.force_login(cast.alice)
    response = web_edit(client, subtasks["office"], lead=[cast.kh.pk])
    assert response.status_code == 403
    assert leads(subtasks["office"]) == {"Bộ Tài chính"}
    page = client.get(subtasks["office"].get_absolute_url()).content.decode()
    assert 'id="form-edit-box"' not in page
    assert client.get(reverse("tasks:task_form", args=[subtasks["office"].pk, "edit"])).status_code == 403


@pytest.mark.parametrize("role", ["alice", "office"])
@time_machine.travel(dt.datetime(2025, 7, 10, 9, 0, tzinfo=dt.UTC), tick=False)  # parent not yet due
def test_web_nobody_sets_a_sub_task_deadline_past_the_parents(cast, subtasks, client, role):
    client.force_login(getattr(cast, role))
    response = web_edit(client, subtasks["own"], deadline_due="2025-12-31")
    assert response.status_code == 400
    assert "không được sau hạn của nhiệm vụ cha (30/07/2025)" in response.content.decode()
    assert Task.objects.get(pk=subtasks["own"].pk).deadline_due == dt.date(2025, 7, 1)


def test_web_the_office_may_reassign_any_sub_task(cast, subtasks, client):
    client.force_login(cast.office)
    assert web_edit(client, subtasks["own"], lead=[cast.xd.pk]).status_code == 302
    assert leads(subtasks["own"]) == {"Bộ Xây dựng"}


# --- API -----------------------------------------------------------------------------------------------------------

def test_api_a_focal_point_cannot_reassign_its_sub_task_to_another_agency(cast, subtasks):
    response = api_edit(cast.alice, subtasks["own"], {"lead_agencies": [cast.tc.pk]})
    assert response.status_code == 400
    assert "Chỉ được giao nhiệm vụ con" in response.json()["message"]
    assert leads(subtasks["own"]) == {"Bộ Khoa học và Công nghệ"}


def test_api_a_focal_point_moves_its_own_sub_task_to_one_of_its_units(cast, subtasks):
    response = api_edit(cast.alice, subtasks["own"], {"lead_agencies": [subtasks["unit"].pk]})
    assert response.status_code == 200, response.content
    assert leads(subtasks["own"]) == {"Viện Chiến lược KH&CN"}


def test_api_a_focal_point_cannot_take_over_a_sub_task_the_office_gave_to_another_agency(cast, subtasks):
    response = api_edit(cast.alice, subtasks["office"], {"lead_agencies": [cast.kh.pk]})
    assert response.status_code == 403
    assert leads(subtasks["office"]) == {"Bộ Tài chính"}


@pytest.mark.parametrize("role", ["alice", "office"])
@time_machine.travel(dt.datetime(2025, 7, 10, 9, 0, tzinfo=dt.UTC), tick=False)  # parent not yet due
def test_api_nobody_sets_a_sub_task_deadline_past_the_parents(cast, subtasks, role):
    response = api_edit(getattr(cast, role), subtasks["own"], {"deadline_due": "2025-12-31"})
    assert response.status_code == 400
    assert "không được sau hạn của nhiệm vụ cha" in response.json()["message"]
    assert Task.objects.get(pk=subtasks["own"].pk).deadline_due == dt.date(2025, 7, 1)
