"""The intake over the API (mounted by ``nq57.api.api``): anyone with a token lists and reads the published
submissions; an agency's system reads what is routed to it and posts answers (``Idempotency-Key`` honoured)."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Router

from nq57.api.http import content_etag, idempotent, not_modified, paginate, require_if_match
from nq57.api.schemas import error_responses
from nq57.core import access
from nq57.intake import selectors, services
from nq57.intake.models import Submission
from nq57.intake.schemas import AnswerIn, SubmissionOut, SubmissionPage, submission_out

router = Router(tags=["Phản ánh, kiến nghị"])
ERRORS = error_responses(400, 401, 403, 404, 409, 422, 429)
ANSWER_ERRORS = error_responses(400, 401, 403, 404, 409, 412, 422, 429)


@router.get("/intake/submissions", response={200: SubmissionPage, **ERRORS},
            summary="Phản ánh, kiến nghị, sáng kiến đã công khai (lọc, tìm kiếm)",
            operation_id="nq57_intake_submission_list")
def submission_list(request, q: str | None = None, kind: str | None = None, agency: int | None = None,
                    status: str | None = None, routed_to_me: bool = False, page: int | None = None,
                    page_size: int | None = None, cursor: str | None = None):
    """The published submissions; ``routed_to_me=true``: those waiting for an answer from the caller's agencies."""
    if routed_to_me:
        qs = Submission.objects.visible_to(request.auth).filter(
            routed_agency_id__in=access.agency_scope_ids(request.auth)).select_related("routed_agency", "theme")
        if status:
            qs = qs.filter(status=status)
        qs = qs.order_by("-id")
    elif q and q.strip():
        ids = [s.pk for s in selectors.public_submissions(q=q, kind=kind or "", agency=agency, status=status or "")]
        qs = Submission.objects.filter(pk__in=ids).select_related("routed_agency", "theme").order_by("-id")
    else:
        qs = selectors.public_submissions(kind=kind or "", agency=agency, status=status or "").order_by("-id")
    return paginate(qs, page=page, page_size=page_size, cursor=cursor,
                    serialize=lambda rows: [submission_out(s) for s in rows])


def _readable(request, submission_id: int) -> Submission:
    submission = get_object_or_404(Submission.objects.visible_to(request.auth).select_related(
        "routed_agency", "theme"), pk=submission_id)
    return submission


def submission_etag(data: dict) -> str:
    return content_etag("intake", data["id"], data)


@router.get("/intake/submissions/{submission_id}", response={200: SubmissionOut, 304: None, **ERRORS},
            summary="Chi tiết phản ánh, kiến nghị, sáng kiến (có ETag)",
            operation_id="nq57_intake_submission_detail")
def submission_detail(request, submission_id: int, response: HttpResponse):
    """Send the ``ETag`` received back in ``If-None-Match``: 304 while the submission is unchanged."""
    data = submission_out(_readable(request, submission_id))
    etag = submission_etag(data)
    unchanged = not_modified(request, etag)
    if unchanged is not None:
        return unchanged
    response["ETag"] = etag
    return data


@router.post("/intake/submissions/{submission_id}/answer", response={200: SubmissionOut, **ANSWER_ERRORS},
             summary="Cơ quan trả lời phản ánh, kiến nghị, sáng kiến",
             operation_id="nq57_intake_submission_answer")
def submission_answer(request, submission_id: int, payload: AnswerIn):
    """The same rules as the web page: the routed agency's focal points (or the office) answer while the answer
    is awaited; an initiative needs its assessment. Send an ``Idempotency-Key`` so a retry never answers twice;
    an ``If-Match`` (the ``ETag`` read), when sent, must still be current (412 otherwise)."""
    submission = _readable(request, submission_id)

    def perform():
        require_if_match(request, submission_etag(submission_out(submission)))
        done = services.submission_answer(
            submission=submission, actor=request.auth, answer=payload.answer, out_of_scope=payload.out_of_scope,
            decision=payload.decision, reasons=payload.reasons,
            scores={name: getattr(payload, name) for name in services.SCORES})
        done = Submission.objects.select_related("routed_agency", "theme").get(pk=done.pk)
        data = submission_out(done)
        return 200, SubmissionOut.model_validate(data), {"ETag": submission_etag(data)}

    return idempotent(request, perform)
