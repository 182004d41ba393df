"""Agencies: the list (search by name or alias, folded; kind filter) and the agency page with its scorecard."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from nq57.accounts.selectors import members_of
from nq57.agencies import selectors, services
from nq57.agencies.forms import DecisionForm, RegistrationForm
from nq57.agencies.models import Agency, AgencyKind, Verification
from nq57.core import access
from nq57.core.errors import ServiceError
from nq57.core.forms import form_errors_add
from nq57.core.public import public
from nq57.tasks.pages import filter_link


@require_GET
def agency_list(request):
    q = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    if kind not in AgencyKind.values:
        kind = ""
    agencies = selectors.agency_search(user=request.user, q=q, kind=kind)
    page = Paginator(agencies, 50).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "agencies/agency_list.html", {
        "page": page, "q": q, "kind": kind, "kinds": AgencyKind.choices, "query": params.urlencode(),
    })


@require_GET
def agency_detail(request, pk: int):
    try:
        agency = access.organisations_visible_to(
            request.user, Agency.objects.select_related("parent", "successor")).get(pk=pk)
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


@public
@require_http_methods(["GET", "POST"])
def register(request):
    """The public form an organisation registers itself with; it waits for the Standing Office's verification."""
    user = request.user if request.user.is_authenticated else None
    initial = {"contact_name": user.full_name, "contact_email": user.email} if user else {}
    form = RegistrationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_register(**form.cleaned_data, registered_by=user)
        except ServiceError as exc:
            form_errors_add(form, exc.errors or {None: [exc.message]})
        else:
            return render(request, "agencies/register_done.html", {"organisation": organisation})
    elif request.method == "POST":  # the form's own problems and the registry's (a name already listed) together
        form_errors_add(form, services.registration_problems(**{n: form.cleaned_data.get(n) for n in form.fields}))
    return render(request, "agencies/register.html", {"form": form}, status=400 if form.errors else 200)


@require_GET
def registrations(request):
    """The Standing Office's queue of self-registered organisations waiting for verification."""
    access.require(access.can_verify_organisations(request.user), "Chỉ Cơ quan Thường trực được xác minh tổ chức.")
    pending = Agency.objects.filter(verification=Verification.PENDING).select_related("registered_by")
    decided = (Agency.objects.filter(registered_at__isnull=False).exclude(verification=Verification.PENDING)
               .select_related("verified_by").order_by("-verified_at")[:50])
    return render(request, "agencies/registrations.html", {"pending": pending.order_by("registered_at"),
                                                           "decided": decided})


@require_POST
def registration_decide(request, pk: int):
    organisation = get_object_or_404(Agency, pk=pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Quyết định không hợp lệ.")
        return redirect("agencies:registrations")
    data = form.cleaned_data
    try:
        if data["decision"] == "verify":
            services.organisation_verify(organisation=organisation, actor=request.user, note=data["reason"])
            messages.success(request, f"Đã xác minh: {organisation.name}.")
        else:
            services.organisation_reject(organisation=organisation, actor=request.user, reason=data["reason"])
            messages.success(request, f"Đã từ chối: {organisation.name}.")
    except ServiceError as exc:
        if exc.status == 403:
            raise
        messages.error(request, exc.message)
    return redirect("agencies:registrations")
