"""The hub's figures as indicator computations (``indicators.computations``): an indicator with
``value_source = computed`` names one of these keys and the daily job writes its value for the current and the last
ended period, so a number a notice set (e.g. commissioned research topics contracted at a high-tech park) is followed
from the hub's own records, never typed twice.

Period semantics are those of the task computations (``tasks.done_in_period``): what happened in ``[start, end]``.
A contract happens on its signing date (``signed_on``); an outcome is recorded for a calendar year (``year``), so the
outcome-based computations answer only for a yearly indicator (the year of ``start``) and return ``None`` (nothing to
write) for a quarterly one. When the indicator names an organisation, the count is
narrowed to that organisation and its units (``core.access.organisation_and_units``) taking part in the contract as
either party; for commissioned problems, as the organisation that posted the order.
"""

from decimal import Decimal

from django.db.models import Q, Sum

from nq57.indicators.computations import register_computation

BILLION = Decimal(1_000_000_000)


def _commissioning_kinds():
    """A problem posted by a State body is an order (đặt hàng); an enterprise's is a problem (đầu bài)."""
    from nq57.agencies.models import AgencyKind
    from nq57.hub.services import PROBLEM_KINDS

    return sorted(PROBLEM_KINDS - {AgencyKind.ENTERPRISE})


def _organisations(indicator):
    if not indicator.agency_id:
        return None
    from nq57.core.access import organisation_and_units

    return organisation_and_units(indicator.agency_id)


def _contracts(indicator, start, end):
    from nq57.hub.models import Contract

    contracts = Contract.objects.filter(signed_on__gte=start, signed_on__lte=end)
    ids = _organisations(indicator)
    if ids is not None:
        contracts = contracts.filter(Q(deal__owner_id__in=ids) | Q(deal__partner_id__in=ids))
    return contracts


def _outcomes(indicator, start, end):
    """Outcomes of the period's calendar year, or None when the period is not a year (a quarter)."""
    from nq57.hub.models import Outcome
    from nq57.indicators.models import Period

    if indicator.period != Period.YEARLY:
        return None
    outcomes = Outcome.objects.filter(year=start.year)
    ids = _organisations(indicator)
    if ids is not None:
        outcomes = outcomes.filter(Q(contract__deal__owner_id__in=ids) | Q(contract__deal__partner_id__in=ids))
    return outcomes


def _billions(value) -> Decimal:
    return (Decimal(value or 0) / BILLION).quantize(Decimal("0.0001"))


@register_computation("hub.contracts_signed", label="Số hợp đồng hợp tác 3 Nhà ký trong kỳ")
def contracts_signed(*, indicator, start, end):
    return Decimal(_contracts(indicator, start, end).count())


@register_computation("hub.contract_value", label="Giá trị hợp đồng hợp tác 3 Nhà ký trong kỳ (tỷ đồng)")
def contract_value(*, indicator, start, end):
    return _billions(_contracts(indicator, start, end).aggregate(s=Sum("value_vnd"))["s"])


@register_computation("hub.cofunding_value", label="Vốn đối ứng/Nhà nước hỗ trợ của hợp đồng 3 Nhà ký trong kỳ "
                                                   "(tỷ đồng)")
def cofunding_value(*, indicator, start, end):
    return _billions(_contracts(indicator, start, end).aggregate(s=Sum("cofunding_vnd"))["s"])


@register_computation("hub.commissioned_contracted",
                      label="Số đặt hàng của cơ quan nhà nước trên Sàn 3 Nhà được ký hợp đồng trong kỳ")
def commissioned_contracted(*, indicator, start, end):
    """Orders (problems posted by a State body) whose contract was signed in the period, counted once each; with an
    organisation, the orders it (or one of its units) posted — a high-tech park's commissioned topics."""
    from nq57.hub.models import Contract

    contracts = Contract.objects.filter(signed_on__gte=start, signed_on__lte=end, deal__problem__isnull=False,
                                        deal__problem__organisation__kind__in=_commissioning_kinds())
    ids = _organisations(indicator)
    if ids is not None:
        contracts = contracts.filter(deal__problem__organisation_id__in=ids)
    return Decimal(contracts.values("deal__problem_id").distinct().count())


@register_computation("hub.spinoffs", label="Số doanh nghiệp spin-off từ hợp tác 3 Nhà trong năm")
def spinoffs(*, indicator, start, end):
    from nq57.hub.models import OutcomeKind

    outcomes = _outcomes(indicator, start, end)
    return None if outcomes is None else Decimal(outcomes.filter(kind=OutcomeKind.SPINOFF).count())


@register_computation("hub.licences", label="Số li-xăng, chuyển giao công nghệ từ hợp tác 3 Nhà trong năm")
def licences(*, indicator, start, end):
    from nq57.hub.models import OutcomeKind

    outcomes = _outcomes(indicator, start, end)
    return None if outcomes is None else Decimal(outcomes.filter(kind=OutcomeKind.LICENCE).count())


@register_computation("hub.outcome_revenue", label="Doanh thu từ kết quả hợp tác 3 Nhà trong năm (tỷ đồng)")
def outcome_revenue(*, indicator, start, end):
    outcomes = _outcomes(indicator, start, end)
    return None if outcomes is None else _billions(outcomes.aggregate(s=Sum("revenue_vnd"))["s"])
