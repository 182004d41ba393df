"""The hub over the API: public reads (no sign-in), the public part only — a problem's confidential details are
never served here, to anyone."""

from django.http import Http404
from ninja import Router

from nq57.api.http import paginate
from nq57.api.schemas import error_responses
from nq57.hub import matching, selectors
from nq57.hub.schemas import (
    MatchList,
    OfferOut,
    OfferPage,
    ProblemOut,
    ProblemPage,
    match_out,
    offer_out,
    problem_out,
)

router = Router(tags=["Sàn 3 Nhà"])


def _listing(qs, kind, q, field, trl, trl_field):
    qs = selectors.filter_items(qs, field_id=field, trl=trl, trl_field=trl_field)
    result = selectors.search_items(qs, kind, q or "")
    if isinstance(result, selectors.Ranked):  # ranked by the search module: keep its order
        return result
    return result.order_by("-id")


@router.get("/hub/problems", auth=None, response={200: ProblemPage, **error_responses(400)},
            summary="Danh sách, tìm kiếm đầu bài, đặt hàng (phần công khai)", operation_id="hub_problem_list")
def problem_list(request, q: str | None = None, field: int | None = None, trl: int | None = None,
                 page: int | None = None, page_size: int | None = None, cursor: str | None = None):
    rows = _listing(selectors.public_problems(), "hub.problem", q, field, trl, "trl_required")
    if isinstance(rows, selectors.Ranked):
        found = rows[:100]
        return {"count": len(rows), "page": 1, "page_size": len(found), "results": [problem_out(p) for p in found]}
    return paginate(rows, page=page, page_size=page_size, cursor=cursor,
                    serialize=lambda items: [problem_out(p) for p in items])


@router.get("/hub/problems/{problem_id}", auth=None, response={200: ProblemOut, **error_responses(404)},
            summary="Đầu bài (phần công khai)", operation_id="hub_problem_detail")
def problem_detail(request, problem_id: int):
    problem = selectors.public_problems().filter(pk=problem_id).first()
    if problem is None:
        raise Http404
    return problem_out(problem)


@router.get("/hub/problems/{problem_id}/matches", auth=None, response={200: MatchList, **error_responses(404)},
            summary="Kết quả phù hợp với đầu bài, kèm lý do", operation_id="hub_problem_matches")
def problem_matches(request, problem_id: int, limit: int = 10):
    problem = selectors.public_problems().filter(pk=problem_id).first()
    if problem is None:
        raise Http404
    return {"results": [match_out(m) for m in matching.offers_for_problem(problem, limit=max(1, min(limit, 50)))]}


@router.get("/hub/offers", auth=None, response={200: OfferPage, **error_responses(400)},
            summary="Danh sách, tìm kiếm kết quả, sáng kiến, công nghệ", operation_id="hub_offer_list")
def offer_list(request, q: str | None = None, field: int | None = None, trl: int | None = None,
               page: int | None = None, page_size: int | None = None, cursor: str | None = None):
    rows = _listing(selectors.public_offers(), "hub.offer", q, field, trl, "trl")
    if isinstance(rows, selectors.Ranked):
        found = rows[:100]
        return {"count": len(rows), "page": 1, "page_size": len(found), "results": [offer_out(o) for o in found]}
    return paginate(rows, page=page, page_size=page_size, cursor=cursor,
                    serialize=lambda items: [offer_out(o) for o in items])


@router.get("/hub/offers/{offer_id}", auth=None, response={200: OfferOut, **error_responses(404)},
            summary="Kết quả, sáng kiến, công nghệ", operation_id="hub_offer_detail")
def offer_detail(request, offer_id: int):
    offer = selectors.public_offers().filter(pk=offer_id).first()
    if offer is None:
        raise Http404
    return offer_out(offer)


@router.get("/hub/offers/{offer_id}/matches", auth=None, response={200: MatchList, **error_responses(404)},
            summary="Đầu bài phù hợp với kết quả, kèm lý do", operation_id="hub_offer_matches")
def offer_matches(request, offer_id: int, limit: int = 10):
    offer = selectors.public_offers().filter(pk=offer_id).first()
    if offer is None:
        raise Http404
    return {"results": [match_out(m) for m in matching.problems_for_offer(offer, limit=max(1, min(limit, 50)))]}
