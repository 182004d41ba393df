"""The hub's figures feed computed indicators: an indicator bound to a hub computation gets the number of the hub's
own records for its period (and its organisation), through the daily refresh of the indicators app."""

import datetime as dt
from decimal import Decimal

import pytest

from nq57.agencies.models import Agency, AgencyKind
from nq57.core.testing import UserFactory
from nq57.hub import services
from nq57.hub.roles import HUB_MEMBER
from nq57.indicators import services as indicators
from nq57.indicators.computations import computation_choices
from nq57.indicators.models import IndicatorValue

pytestmark = pytest.mark.django_db


def _contract(hub, *, problem, partner, partner_user, signed_on, value, number):
    deal = services.interest_express(actor=partner_user, organisation=partner, problem=problem, message="Xin hợp tác.")
    return services.contract_record(actor=partner_user, deal=deal, number=number, title=f"Hợp đồng {number}",
                                    value_vnd=value, cofunding_vnd=value // 4, ip_split="50/50", signed_on=signed_on)


@pytest.fixture
def records(hub, problem):
    """A high-tech park board (a State unit) commissions a topic; the enterprise's problem gets two contracts."""
    park = Agency.objects.create(name="Ban Quản lý Khu công nghệ cao Hòa Lạc", kind=AgencyKind.UNIT)
    park_user = UserFactory(username="park", memberships=[(park, HUB_MEMBER)])
    order = services.problem_create(actor=park_user, organisation=park, title="Đặt hàng: cảm biến độ mặn IoT",
                                    summary="Đặt hàng nghiên cứu cảm biến độ mặn.", expected_result="Cảm biến",
                                    trl_required=4)
    institute = Agency.objects.create(name="Viện Cơ điện tử", kind=AgencyKind.INSTITUTE)
    inst_user = UserFactory(username="inst", memberships=[(institute, HUB_MEMBER)])
    first = _contract(hub, problem=problem, partner=hub.university, partner_user=hub.uni_user,
                      signed_on=dt.date(2025, 11, 20), value=2_000_000_000, number="01")
    _contract(hub, problem=problem, partner=hub.third, partner_user=hub.third_user, signed_on=dt.date(2026, 2, 10),
              value=500_000_000, number="02")
    _contract(hub, problem=order, partner=institute, partner_user=inst_user, signed_on=dt.date(2025, 6, 1),
              value=1_250_000_000, number="03")
    services.outcome_record(actor=hub.uni_user, contract=first, kind="spinoff", title="Công ty giống", year=2025,
                            spinoff_name="Công ty CP Giống lúa CT")
    services.outcome_record(actor=hub.ent_user, contract=first, kind="product", title="Bán hạt giống", year=2025,
                            revenue_vnd=750_000_000)
    services.outcome_record(actor=hub.ent_user, contract=first, kind="product", title="Bán hạt giống", year=2026,
                            revenue_vnd=900_000_000)
    return park


def _indicator(hub, key, **fields):
    return indicators.indicator_create(actor=hub.office, name=f"Chỉ tiêu {key}", value_source="computed",
                                       computation=key, **fields)


def _value(indicator, year, quarter=0):
    row = IndicatorValue.objects.filter(indicator=indicator, year=year, quarter=quarter).first()
    return None if row is None else row.value


def test_hub_computations_are_offered(hub):
    keys = {key for key, _ in computation_choices()}
    assert {"hub.contracts_signed", "hub.contract_value", "hub.cofunding_value", "hub.commissioned_contracted",
            "hub.spinoffs", "hub.licences", "hub.outcome_revenue"} <= keys


def test_yearly_indicators_computed_from_hub_records(hub, records):
    contracts = _indicator(hub, "hub.contracts_signed")
    value = _indicator(hub, "hub.contract_value", unit="tỷ đồng")
    spinoffs = _indicator(hub, "hub.spinoffs")
    revenue = _indicator(hub, "hub.outcome_revenue", unit="tỷ đồng")
    ordered = _indicator(hub, "hub.commissioned_contracted")
    park = _indicator(hub, "hub.commissioned_contracted", agency=records)
    mine = _indicator(hub, "hub.contracts_signed", agency=hub.university)
    indicators.computed_refresh(today=dt.date(2026, 3, 15))  # the last ended year 2025 and the current 2026
    assert (_value(contracts, 2025), _value(contracts, 2026)) == (2, 1)
    assert (_value(value, 2025), _value(value, 2026)) == (Decimal("3.25"), Decimal("0.5"))
    assert (_value(spinoffs, 2025), _value(spinoffs, 2026)) == (1, 0)
    assert (_value(revenue, 2025), _value(revenue, 2026)) == (Decimal("0.75"), Decimal("0.9"))
    assert (_value(ordered, 2025), _value(ordered, 2026)) == (1, 0)  # the enterprise's problem is not an order
    assert (_value(park, 2025), _value(mine, 2025), _value(mine, 2026)) == (1, 1, 0)
    row = IndicatorValue.objects.get(indicator=contracts, year=2025)
    assert row.origin == "computed" and "Số hợp đồng hợp tác 3 Nhà" in row.note


def test_quarterly_periods(hub, records):
    contracts = _indicator(hub, "hub.contracts_signed", period="quarterly")
    revenue = _indicator(hub, "hub.outcome_revenue", period="quarterly")
    indicators.computed_refresh(today=dt.date(2026, 3, 15))  # Q4 2025 ended, Q1 2026 current
    assert (_value(contracts, 2025, 4), _value(contracts, 2026, 1)) == (1, 1)
    # an outcome is recorded for a year: no quarterly figure is invented
    assert not IndicatorValue.objects.filter(indicator=revenue).exists()
