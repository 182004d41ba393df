"""Indicator values owed and overdue join the weekly escalation list (``monitoring.escalation``), grouped by the
responsible organisation."""

import datetime as dt

from django.urls import reverse

from nq57.monitoring.escalation import LateItem, register_escalation


def late_values(*, today: dt.date) -> list[LateItem]:
    from nq57.indicators.services import missing_values

    items = []
    for indicator, year, quarter, due_on in missing_values(today=today):
        if due_on >= today:
            continue
        period = f"quý {quarter}/{year}" if quarter else f"năm {year}"
        items.append(LateItem(
            organisation_id=indicator.agency_id, organisation=indicator.agency.display_name,
            label=f"Giá trị {period}", text=indicator.name, due=due_on, today=today,
            url=reverse("indicators:indicator_detail", args=[indicator.pk])))
    return items


register_escalation("indicators.values", label="Giá trị chỉ tiêu quá hạn chưa nhập", late=late_values)
