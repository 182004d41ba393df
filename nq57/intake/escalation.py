"""Submissions whose answer is overdue join the weekly escalation list (``monitoring.escalation``), grouped by the
agency they were routed to."""

import datetime as dt

from django.urls import reverse

from nq57.monitoring.escalation import LateItem, register_escalation


def late_answers(*, today: dt.date) -> list[LateItem]:
    from nq57.intake.models import AWAITING, Submission

    waiting = (Submission.objects.filter(status__in=AWAITING, answer_due__lt=today)
               .select_related("routed_agency").order_by("answer_due", "pk"))
    return [LateItem(organisation_id=s.routed_agency_id,
                     organisation=s.routed_agency.display_name if s.routed_agency else "Chưa chuyển cơ quan",
                     label=s.tracking_code, text=s.title, due=s.answer_due, today=today,
                     url=reverse("intake:detail", args=[s.pk]))
            for s in waiting]


register_escalation("intake.answers", label="Phản ánh, kiến nghị, sáng kiến quá hạn trả lời", late=late_answers)
