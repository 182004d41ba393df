"""Milestones moved from the contract's JSON list into ``ContractMilestone`` rows: back and forth without losing one."""

import datetime as dt
import json

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from nq57.hub import services
from nq57.hub.models import ContractMilestone


@pytest.mark.django_db(transaction=True)
def test_milestones_survive_the_move_both_ways(hub, problem):
    deal = services.interest_express(actor=hub.uni_user, organisation=hub.university, problem=problem,
                                     message="Xin hợp tác.")
    contract = services.contract_record(
        actor=hub.ent_user, deal=deal, number="01/HĐ", title="Chuyển giao", value_vnd=1, ip_split="50/50",
        signed_on=dt.date(2026, 3, 1), milestones=[{"title": "Nhân giống", "due": "2026-06-01"},
                                                   {"title": "Khảo nghiệm", "due": None}])
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    executor.migrate([("hub", "0001_hub_problems_offers_deals")])
    with connection.cursor() as cursor:
        cursor.execute("SELECT milestones FROM hub_contract WHERE id = %s", [contract.pk])
        raw = cursor.fetchone()[0]
    assert (json.loads(raw) if isinstance(raw, str) else raw) == [{"title": "Nhân giống", "due": "2026-06-01"},
                                                                  {"title": "Khảo nghiệm", "due": None}]
    assert "hub_contractmilestone" not in connection.introspection.table_names()
    MigrationExecutor(connection).migrate(leaves)
    rows = [(m.position, m.title, m.due_on) for m in ContractMilestone.objects.filter(contract_id=contract.pk)]
    assert rows == [(1, "Nhân giống", dt.date(2026, 6, 1)), (2, "Khảo nghiệm", None)]
