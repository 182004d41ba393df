"""The API shapes of the intake and their one serialiser each. Senders' contact details are never part of them."""

import datetime as dt

from ninja import Schema

from nq57.api.schemas import Instant, Out, PageMeta


class SubmissionOut(Out):
    id: int
    tracking_code: str
    kind: str
    status: str
    title: str
    content: str
    legal_reference: str
    theme: str | None
    routed_agency_id: int | None
    routed_agency: str | None
    answer_due: dt.date | None
    answer: str
    answered_at: Instant | None
    decision: str
    support_count: int
    created_at: Instant


class SubmissionPage(PageMeta):
    results: list[SubmissionOut]


class AnswerIn(Schema):
    answer: str
    out_of_scope: bool = False
    decision: str = ""
    score_novelty: int | None = None
    score_feasibility: int | None = None
    score_impact: int | None = None
    score_resources: int | None = None
    reasons: str = ""


def submission_out(s) -> dict:
    """``SubmissionOut`` of a submission (public fields only)."""
    return {"id": s.pk, "tracking_code": s.tracking_code, "kind": s.kind, "status": s.status, "title": s.title,
            "content": s.content, "legal_reference": s.legal_reference, "theme": s.theme.name if s.theme else None,
            "routed_agency_id": s.routed_agency_id, "routed_agency": str(s.routed_agency) if s.routed_agency else None,
            "answer_due": s.answer_due, "answer": s.answer, "answered_at": s.answered_at, "decision": s.decision,
            "support_count": s.support_count, "created_at": s.created_at}
