"""Pages of the 3 Nhà hub. Browsing, search, item pages, figures and field pages are public; posting and deals need
an account acting for an organisation. Views are thin: forms read, services decide, selectors read."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from nq57.core import access
from nq57.core.errors import NotFoundError, ServiceError
from nq57.core.public import public, signed_in
from nq57.hub import matching, selectors, services
from nq57.hub.forms import (
    AgreeForm,
    ContractForm,
    InterestForm,
    MessageForm,
    MilestoneDoneForm,
    OfferEditForm,
    OfferForm,
    OutcomeForm,
    ProblemEditForm,
    ProblemForm,
    ReasonForm,
)
from nq57.hub.models import Offer, Problem


def _refusal_to_form(form, exc: ServiceError) -> None:
    """A service's refusal shown on the form, which keeps what the person typed."""
    if exc.status == 403 and not exc.errors:
        form.add_error(None, exc.message)
        return
    for name, errors in (exc.errors or {None: [exc.message]}).items():
        for message in errors:
            form.add_error(name if name in form.fields else None, message)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _list_context(request, qs, kind: str, *, trl_field: str):
    q = request.GET.get("q", "").strip()[:200]
    field_id, trl = _int(request.GET.get("field")), _int(request.GET.get("trl"))
    featured = request.GET.get("featured") == "1"
    qs = selectors.filter_items(qs, field_id=field_id, trl=trl, featured=featured, trl_field=trl_field)
    rows = selectors.search_items(qs, kind, q)
    page = Paginator(rows, 30).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    from nq57.taxonomy.selectors import catalogue_groups

    return {"page": page, "q": q, "field_id": field_id, "trl": trl, "featured": featured,
            "groups": catalogue_groups(), "query": params.urlencode(), "trls": range(1, 10)}


@public
@require_GET
def home(request):
    return render(request, "hub/home.html", {
        "featured_problems": selectors.public_problems().filter(is_featured=True)[:6],
        "featured_offers": selectors.public_offers().filter(is_featured=True)[:6],
        "problems": selectors.public_problems()[:8],
        "offers": selectors.public_offers()[:8],
        "my_organisations": selectors.my_organisations(request.user),
    })


@public
@require_GET
def problem_list(request):
    context = _list_context(request, selectors.public_problems(), "hub.problem", trl_field="trl_required")
    return render(request, "hub/problem_list.html", context)


@public
@require_GET
def offer_list(request):
    context = _list_context(request, selectors.public_offers(), "hub.offer", trl_field="trl")
    return render(request, "hub/offer_list.html", context)


def _problem_or_404(user, pk: int) -> Problem:
    problem = Problem.objects.select_related("organisation", "field", "field__parent").filter(pk=pk).first()
    if problem is None:
        raise Http404("Không tìm thấy đầu bài.")
    visible = problem.organisation.can_publish and problem.status in selectors.PUBLIC_PROBLEM_STATUSES
    if not visible and not access.can_see_problem_details(user, problem):
        raise Http404("Không tìm thấy đầu bài.")
    return problem


def _offer_or_404(user, pk: int) -> Offer:
    offer = Offer.objects.select_related("organisation", "field", "field__parent").filter(pk=pk).first()
    if offer is None or not ((offer.organisation.can_publish and offer.is_active)
                             or access.can_edit_hub_item(user, offer) or access.can_hub_moderate(user)):
        raise Http404("Không tìm thấy kết quả.")
    return offer


def _interest_form(request, item, data=None):
    mine = selectors.my_organisations(request.user).exclude(pk=item.organisation_id)
    if not mine.exists():
        return None
    return InterestForm(data, organisations=mine, initial={"organisation": mine.first().pk})


@public
@require_GET
def problem_detail(request, pk: int):
    problem = _problem_or_404(request.user, pk)
    context = selectors.problem_view(request.user, problem)
    context["matches"] = matching.offers_for_problem(problem, limit=10) if context["can_edit"] or \
        access.can_hub_moderate(request.user) else []
    context["interested"] = selectors.interested_organisations(problem) if context["can_edit"] else []
    context["interest_form"] = _interest_form(request, problem)
    context["is_moderator"] = access.can_hub_moderate(request.user)
    return render(request, "hub/problem_detail.html", context)


@public
@require_GET
def offer_detail(request, pk: int):
    offer = _offer_or_404(request.user, pk)
    return render(request, "hub/offer_detail.html", {
        "offer": offer,
        "matches": matching.problems_for_offer(offer, limit=10),
        "can_edit": access.can_edit_hub_item(request.user, offer),
        "interest_form": _interest_form(request, offer),
        "is_moderator": access.can_hub_moderate(request.user),
    })


@signed_in
@require_http_methods(["GET", "POST"])
def problem_create(request):
    organisations = selectors.my_organisations(request.user)
    form = ProblemForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            problem = services.problem_create(actor=request.user, **form.cleaned_data)
        except ServiceError as exc:
            _refusal_to_form(form, exc)
        else:
            messages.success(request, "Đã đăng đầu bài. Hệ thống đang tính các kết quả phù hợp.")
            return redirect(problem)
    return render(request, "hub/item_form.html", {"form": form, "heading": "Đăng đầu bài, đặt hàng",
                                                  "organisations": organisations},
                  status=400 if form.errors else 200)


@signed_in
@require_http_methods(["GET", "POST"])
def problem_edit(request, pk: int):
    problem = _problem_or_404(request.user, pk)
    access.require(access.can_edit_hub_item(request.user, problem), "Chỉ tổ chức đăng đầu bài mới được sửa đầu bài.")
    initial = {name: getattr(problem, name) for name in ProblemEditForm.field_order if name != "organisation"}
    form = ProblemEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.problem_update(actor=request.user, problem=problem, **form.cleaned_data)
        except ServiceError as exc:
            _refusal_to_form(form, exc)
        else:
            messages.success(request, "Đã lưu đầu bài.")
            return redirect(problem)
    return render(request, "hub/item_form.html", {"form": form, "heading": f"Sửa đầu bài: {problem.title}",
                                                  "organisations": [problem.organisation]},
                  status=400 if form.errors else 200)


@signed_in
@require_http_methods(["GET", "POST"])
def offer_create(request):
    organisations = selectors.my_organisations(request.user)
    form = OfferForm(request.POST or None, request.FILES or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            offer = services.offer_create(actor=request.user, **form.cleaned_data)
        except ServiceError as exc:
            _refusal_to_form(form, exc)
        else:
            messages.success(request, "Đã đăng kết quả. Hệ thống đang tính các đầu bài phù hợp.")
            return redirect(offer)
    return render(request, "hub/item_form.html", {"form": form, "heading": "Đăng kết quả, sáng kiến, công nghệ",
                                                  "organisations": organisations, "multipart": True},
                  status=400 if form.errors else 200)


@signed_in
@require_POST
def problem_grant(request, pk: int, organisation_id: int):
    from nq57.agencies.models import Agency

    problem = _problem_or_404(request.user, pk)
    organisation = get_object_or_404(Agency, pk=organisation_id)
    try:
        services.problem_grant_access(actor=request.user, problem=problem, organisation=organisation)
        messages.success(request, f"{organisation.name} đã được xem chi tiết đầu bài.")
    except ServiceError as exc:
        if exc.status == 403:
            raise
        messages.error(request, exc.message)
    return redirect(problem)


def _item(request, kind: str, pk: int):
    if kind == "problem":
        return _problem_or_404(request.user, pk)
    if kind == "offer":
        return _offer_or_404(request.user, pk)
    raise Http404


@signed_in
@require_POST
def interest(request, kind: str, pk: int):
    item = _item(request, kind, pk)
    form = _interest_form(request, item, request.POST)
    if form is None:
        messages.error(request, "Bạn cần là thành viên một tổ chức (khác tổ chức đăng) để bày tỏ quan tâm.")
        return redirect(item)
    if form.is_valid():
        offer_id = _int(request.POST.get("offer"))
        extra = {}
        if kind == "problem" and offer_id:
            extra["offer"] = get_object_or_404(Offer, pk=offer_id)
        try:
            deal = services.interest_express(actor=request.user, organisation=form.cleaned_data["organisation"],
                                             message=form.cleaned_data["message"],
                                             **({"problem": item} if kind == "problem" else {"offer": item}), **extra)
        except ServiceError as exc:
            if exc.status == 403:
                raise
            _refusal_to_form(form, exc)
        else:
            messages.success(request, "Đã gửi lời quan tâm. Bên đăng sẽ nhận được thư thông báo.")
            return redirect(deal)
    template = "hub/problem_detail.html" if kind == "problem" else "hub/offer_detail.html"
    context = selectors.problem_view(request.user, item) if kind == "problem" else {"offer": item}
    context.update(interest_form=form, matches=[])
    return render(request, template, context, status=400)


@require_POST
def feature(request, kind: str, pk: int):
    item = _item(request, kind, pk)
    services.item_feature(actor=request.user, item=item, featured=request.POST.get("featured") == "1")
    messages.success(request, "Đã cập nhật mục giới thiệu.")
    return redirect(item)


@signed_in
@require_GET
def deal_list(request):
    page = Paginator(selectors.deals_of(request.user), 30).get_page(request.GET.get("page"))
    return render(request, "hub/deal_list.html", {"page": page})


def _deal_or_404(request, pk: int):
    try:
        return services.deal_for(request.user, pk)
    except NotFoundError as exc:
        raise Http404(exc.message) from exc


def _deal_page(request, deal, *, status=200, **forms):
    context = {
        "deal": deal,
        "messages_list": deal.messages.select_related("author", "organisation"),
        "contract": getattr(deal, "contract", None) if hasattr(deal, "contract") else None,
        "can_act": access.can_take_part_in_deal(request.user, deal),
        "message_form": forms.get("message_form") or MessageForm(),
        "agree_form": forms.get("agree_form") or AgreeForm(initial={"terms": deal.agreed_terms}),
        "contract_form": forms.get("contract_form") or ContractForm(),
        "outcome_form": forms.get("outcome_form") or OutcomeForm(),
    }
    if context["contract"]:
        context["outcomes"] = context["contract"].outcomes.all()
        bound = forms.get("milestone_form")
        context["milestones"] = [
            (m, bound if bound is not None and forms.get("milestone_id") == m.pk else MilestoneDoneForm(
                prefix=f"m{m.pk}", initial={"done_on": timezone.localdate()}))
            for m in context["contract"].milestones.select_related("done_by_organisation")]
        context["today"] = timezone.localdate()
    context["withdraw_form"] = ReasonForm()
    return render(request, "hub/deal_detail.html", context, status=status)


@signed_in
@require_GET
def deal_detail(request, pk: int):
    return _deal_page(request, _deal_or_404(request, pk))


def _deal_post(request, pk: int, form_class, form_name: str, perform, success: str):
    deal = _deal_or_404(request, pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            perform(deal, form.cleaned_data)
        except ServiceError as exc:
            if exc.status == 403:
                raise
            _refusal_to_form(form, exc)
        else:
            messages.success(request, success)
            return redirect(deal)
    return _deal_page(request, deal, status=400, **{form_name: form})


@signed_in
@require_POST
def deal_message(request, pk: int):
    return _deal_post(request, pk, MessageForm, "message_form",
                      lambda deal, data: services.message_post(actor=request.user, deal=deal, body=data["body"]),
                      "Đã gửi tin nhắn.")


@signed_in
@require_POST
def deal_agree(request, pk: int):
    return _deal_post(request, pk, AgreeForm, "agree_form",
                      lambda deal, data: services.deal_agree(actor=request.user, deal=deal, terms=data["terms"]),
                      "Đã ghi nhận nội dung thống nhất.")


@signed_in
@require_POST
def deal_contract(request, pk: int):
    def perform(deal, data):
        data = {**data, "cofunding_vnd": data.get("cofunding_vnd") or 0}
        services.contract_record(actor=request.user, deal=deal, **data)

    return _deal_post(request, pk, ContractForm, "contract_form", perform, "Đã ghi nhận hợp đồng.")


@signed_in
@require_POST
def deal_outcome(request, pk: int):
    def perform(deal, data):
        contract = getattr(deal, "contract", None)
        if contract is None:
            raise ServiceError("Cần ghi nhận hợp đồng trước khi ghi kết quả thương mại hóa.")
        services.outcome_record(actor=request.user, contract=contract, kind=data["kind"], title=data["title"],
                                year=data["year"], revenue_vnd=data.get("revenue_vnd") or 0,
                                spinoff_name=data.get("spinoff_name") or "")

    return _deal_post(request, pk, OutcomeForm, "outcome_form", perform, "Đã ghi nhận kết quả.")


@public
@require_GET
def figures(request):
    return render(request, "hub/figures.html", {"figures": selectors.figures()})


@public
@require_GET
def field_detail(request, pk: int):
    from nq57.taxonomy.models import TechnologyField

    field_obj = get_object_or_404(TechnologyField.objects.select_related("parent", "version"), pk=pk)
    return render(request, "hub/field_detail.html", selectors.field_page(request.user, field_obj))


# --- editing an offer, stopping a deal, closing a problem, withdrawing an offer, milestones ------------------------

@signed_in
@require_http_methods(["GET", "POST"])
def offer_edit(request, pk: int):
    offer = _offer_or_404(request.user, pk)
    access.require(access.can_edit_hub_item(request.user, offer), "Chỉ tổ chức đăng kết quả mới được sửa kết quả.")
    initial = {name: getattr(offer, name) for name in OfferEditForm.field_order
               if name not in ("organisation", "brochure")}
    form = OfferEditForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "brochure" or v}
        try:
            services.offer_update(actor=request.user, offer=offer, **data)
        except ServiceError as exc:
            _refusal_to_form(form, exc)
        else:
            messages.success(request, "Đã lưu kết quả.")
            return redirect(offer)
    return render(request, "hub/item_form.html", {"form": form, "heading": f"Sửa kết quả: {offer.title}",
                                                  "organisations": [offer.organisation], "multipart": True},
                  status=400 if form.errors else 200)


def _status_change(request, target, perform, success: str):
    """A POST-only status change with an optional reason: refusals of access are the 403 page; others a message."""
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        perform(reason)
    except ServiceError as exc:
        if exc.status == 403:
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, success)
    return redirect(target)


@signed_in
@require_POST
def problem_close(request, pk: int):
    problem = _problem_or_404(request.user, pk)
    return _status_change(request, problem, lambda reason: services.problem_close(
        actor=request.user, problem=problem, reason=reason), "Đã đóng đầu bài.")


@signed_in
@require_POST
def offer_withdraw(request, pk: int):
    offer = _offer_or_404(request.user, pk)
    return _status_change(request, offer, lambda reason: services.offer_withdraw(
        actor=request.user, offer=offer, reason=reason), "Đã ngừng chào kết quả.")


@signed_in
@require_POST
def deal_withdraw(request, pk: int):
    deal = _deal_or_404(request, pk)
    return _status_change(request, deal, lambda reason: services.deal_withdraw(
        actor=request.user, deal=deal, reason=reason), "Đã dừng kết nối hợp tác. Bên kia sẽ nhận được thư thông báo.")


@signed_in
@require_POST
def milestone_done(request, pk: int, milestone_id: int):
    from nq57.hub.models import ContractMilestone

    deal = _deal_or_404(request, pk)
    milestone = ContractMilestone.objects.filter(pk=milestone_id, contract__deal=deal).first()
    if milestone is None:
        raise Http404("Không tìm thấy mốc tiến độ.")
    form = MilestoneDoneForm(request.POST, prefix=f"m{milestone.pk}")
    if form.is_valid():
        try:
            services.milestone_mark_done(actor=request.user, milestone=milestone, **form.cleaned_data)
        except ServiceError as exc:
            if exc.status == 403:
                raise
            _refusal_to_form(form, exc)
        else:
            messages.success(request, f"Đã ghi nhận hoàn thành mốc “{milestone.title}”.")
            return redirect(f"{deal.get_absolute_url()}#milestones")
    return _deal_page(request, deal, status=400, milestone_form=form, milestone_id=milestone.pk)
