"""Agencies: the list (search by name or alias, folded; kind filter) and the agency page with its scorecard."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from nq57.accounts.selectors import members_of
from nq57.agencies import selectors
from nq57.agencies.models import Agency, AgencyKind
from nq57.tasks.views import filter_link


@require_GET
def agency_list(request):
    q = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    if kind not in AgencyKind.values:
        kind = ""
    agencies = selectors.agency_search(q=q, kind=kind)
    page = Paginator(agencies, 50).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "agencies/agency_list.html", {
        "page": page, "q": q, "kind": kind, "kinds": AgencyKind.choices, "query": params.urlencode(),
    })


@require_GET
def agency_detail(request, pk: int):
    try:
        agency = Agency.objects.select_related("parent", "successor").get(pk=pk)
    except Agency.DoesNotExist as exc:
        raise Http404("Không tìm thấy cơ quan.") from exc
    card = selectors.agency_scorecard(agency)
    link = lambda **params: filter_link(agency=agency.pk, **params)  # noqa: E731
    return render(request, "agencies/agency_detail.html", {
        "agency": agency,
        "card": card,
        "links": {
            "led": link(role="lead"),
            "done": link(role="lead", status="done"),
            "done_on_time": link(role="lead", timing="done_on_time"),
            "done_late": link(role="lead", timing="done_late"),
            "overdue": link(role="lead", timing="open_overdue"),
            "due_soon": link(role="lead", timing="due_soon"),
            "partner": link(role="coordinating"),
            "subtasks": link(role="lead", parent="all"),
        },
        "members": members_of(agency),
        "aliases": agency.aliases.all(),
        "children": agency.children.order_by("name"),
        "predecessors": agency.predecessors.order_by("name"),
        "member_agencies": agency.members.order_by("name"),
        "collectives": agency.collectives.order_by("name"),
    })
