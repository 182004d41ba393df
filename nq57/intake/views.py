"""Pages of the intake: public (submit, follow, list, statistics), the office's queue and dashboard, and the
agency's answer. Thin: parse, call the services, render; a refused form is shown again with what was typed."""

from __future__ import annotations

import json

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from nq57.core import access
from nq57.core.errors import PermissionDeniedError, ServiceError
from nq57.core.public import public
from nq57.intake import forms, selectors, services
from nq57.intake.models import AWAITING, PUBLISHED, Submission, SubmissionKind, SubmissionStatus
from nq57.taxonomy.models import Theme


def _refused(form, exc: ServiceError) -> None:
    for name, messages in (exc.errors or {None: [exc.message]}).items():
        for message in messages:
            form.add_error(name if name in form.fields else None, message)


def _address(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


# --- public --------------------------------------------------------------------------------------------------------

@public
@require_http_methods(["GET", "POST"])
def submit(request):
    user = request.user if request.user.is_authenticated else None
    form = forms.SubmitForm(request.POST or None, request.FILES or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            submission = services.submission_submit(
                kind=data["kind"], title=data["title"], content=data["content"],
                legal_reference=data["legal_reference"], theme=data["theme"], technology=data["technology"],
                is_public=data["is_public"], sender_name=data["sender_name"], sender_contact=data["sender_contact"],
                sender_organisation=data["sender_organisation"], attachments=data["attachments"], user=user,
                address=_address(request), honeypot=data["website"],
            )
        except ServiceError as exc:
            _refused(form, exc)
        else:
            return render(request, "intake/submit_done.html", {
                "submission": submission, "follow_path": services.follow_path(submission)})
    question, token = forms.new_challenge()
    return render(request, "intake/submit.html", {"form": form, "question": question, "challenge_token": token},
                  status=400 if form.errors else 200)


@public
def follow(request, code, secret):
    """The sender's private page (the link they were given): everything about their submission but the office's
    internal data."""
    submission = Submission.objects.filter(tracking_code=code, secret=secret).select_related(
        "routed_agency", "merged_into").first()
    if submission is None:
        raise Http404("Không tìm thấy nội dung.")
    return render(request, "intake/follow.html", {"s": submission, "private": True})


@public
def follow_lookup(request):
    """Follow by tracking code alone: the status and dates only (the content needs the private link)."""
    form = forms.FollowForm(request.GET or None)
    found = None
    if form.is_valid():
        found = Submission.objects.filter(tracking_code=form.cleaned_data["code"].strip().upper()).first()
        if found is None:
            form.add_error("code", "Không tìm thấy nội dung có mã theo dõi này.")
    return render(request, "intake/follow_lookup.html", {"form": form, "s": found})


@public
@require_http_methods(["GET", "POST"])
def verify(request, token):
    """The link mailed to the sender: a button (a GET never writes) that confirms their address."""
    if request.method == "POST":
        try:
            submission = services.contact_verify(token=token)
        except ServiceError as exc:
            return render(request, "intake/verify.html", {"error": exc.message}, status=400)
        return render(request, "intake/verify.html", {"done": True, "s": submission})
    return render(request, "intake/verify.html", {})


@public
def public_list(request):
    q = request.GET.get("q", "")[:200]
    params = {"q": q, "kind": request.GET.get("kind", "") if request.GET.get("kind") in SubmissionKind.values else "",
              "status": request.GET.get("status", "") if request.GET.get("status") in PUBLISHED else "",
              "theme": _int(request.GET.get("theme")), "agency": _int(request.GET.get("agency"))}
    items = selectors.public_submissions(**params)
    page = Paginator(items, 20).get_page(request.GET.get("page"))
    return render(request, "intake/public_list.html", {
        "page": page, "params": params, "kinds": SubmissionKind.choices,
        "statuses": [(s, SubmissionStatus(s).label) for s in PUBLISHED], "themes": Theme.objects.all(),
    })


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@public
def public_detail(request, code):
    submission = get_object_or_404(Submission.objects.published().select_related("routed_agency", "theme"),
                                   tracking_code=code)
    return render(request, "intake/public_detail.html", {"s": submission})


@public
@require_POST
def support(request, code):
    submission = get_object_or_404(Submission.objects.published(), tracking_code=code)
    try:
        support = services.support_add(submission=submission, user=request.user,
                                       contact=request.POST.get("contact", ""))
    except ServiceError as exc:
        return render(request, "intake/public_detail.html", {"s": submission, "support_error": exc.message,
                                                             "contact": request.POST.get("contact", "")}, status=400)
    if not support.confirmed:
        return render(request, "intake/public_detail.html", {"s": submission, "support_pending": True})
    return redirect("intake:public_detail", code=code)


@public
@require_http_methods(["GET", "POST"])
def support_confirm(request, token):
    """The link mailed to a supporter: a button (a GET never writes) that confirms their support."""
    if request.method == "POST":
        try:
            support = services.support_confirm(token=token)
        except ServiceError as exc:
            return render(request, "intake/support_confirm.html", {"error": exc.message}, status=400)
        return render(request, "intake/support_confirm.html", {"done": True, "s": support.submission})
    return render(request, "intake/support_confirm.html", {})


@public
def statistics(request):
    return render(request, "intake/statistics.html", selectors.statistics_cached())


# --- the office and the agencies -----------------------------------------------------------------------------------

def _visible(request, pk) -> Submission:
    submission = Submission.objects.filter(pk=pk).select_related(
        "routed_agency", "theme", "technology", "merged_into", "task", "user").first()
    if submission is None or not access.can_read_submission(request.user, submission):
        raise Http404("Không tìm thấy nội dung.")
    return submission


def queue(request):
    access.require(access.can_triage(request.user), services.TRIAGE_ONLY)
    page = Paginator(selectors.triage_queue(), 25).get_page(request.GET.get("page"))
    ids = {d["id"] for s in page for d in s.duplicates}
    codes = dict(Submission.objects.filter(pk__in=ids).values_list("pk", "tracking_code"))
    return render(request, "intake/queue.html", {"page": page, "codes": codes})


def inbox(request):
    """What the user's agencies must answer (the office sees everything waiting)."""
    qs = Submission.objects.visible_to(request.user).filter(status__in=AWAITING) \
        .select_related("routed_agency").order_by("answer_due", "id")
    if not access.can_triage(request.user):
        qs = qs.filter(routed_agency_id__in=access.agency_scope_ids(request.user))
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return render(request, "intake/inbox.html", {"page": page})


def dashboard(request):
    access.require(access.can_view(request.user), access.STAFF_ONLY)
    stats = selectors.statistics_cached()  # received, answered, on time, answer times: at most 5 minutes old
    return render(request, "intake/dashboard.html", {**stats, "figures": {**stats["figures"], **selectors.backlog()}})


def detail(request, pk):
    submission = _visible(request, pk)
    user = request.user
    context = {"s": submission, "can_triage": access.can_triage(user),
               "can_answer": access.can_answer(user, submission)}
    if context["can_triage"]:
        context.update(duplicates=selectors.likely_duplicates(submission), route_form=forms.RouteForm(),
                       reject_form=forms.RejectForm(), merge_form=forms.MergeForm(),
                       classify_form=forms.ClassifyForm(initial={"kind": submission.kind,
                                                                 "theme": submission.theme_id}),
                       hide_form=forms.HideForm(), task_form=forms.TaskForm(initial={"text": submission.title}))
    if context["can_answer"]:
        context.update(answer_form=forms.AnswerForm(), transfer_form=forms.TransferForm())
    return render(request, "intake/detail.html", context)


ACTIONS = {
    "route": (forms.RouteForm, lambda s, d, u: services.submission_route(
        submission=s, agency=d["agency"], due=d["due"], actor=u)),
    "reject": (forms.RejectForm, lambda s, d, u: services.submission_reject(
        submission=s, reason=d["reason"], note=d["note"], actor=u)),
    "merge": (forms.MergeForm, lambda s, d, u: services.submission_merge(
        submission=s, into=_by_code(d["into"]), actor=u)),
    "classify": (forms.ClassifyForm, lambda s, d, u: services.submission_classify(
        submission=s, kind=d["kind"], theme=d["theme"], technology=s.technology, actor=u)),
    "hide": (forms.HideForm, lambda s, d, u: services.submission_hide(submission=s, reason=d["reason"], actor=u)),
    "task": (forms.TaskForm, lambda s, d, u: services.submission_make_task(
        submission=s, notice=d["notice"], text=d["text"], actor=u)),
    "start": (None, lambda s, d, u: services.submission_start(submission=s, actor=u)),
    "answer": (forms.AnswerForm, lambda s, d, u: services.submission_answer(
        submission=s, answer=d["answer"], out_of_scope=d["out_of_scope"], decision=d["decision"],
        scores={k: d[k] for k in services.SCORES}, reasons=d["reasons"], actor=u)),
    "transfer": (forms.TransferForm, lambda s, d, u: services.submission_transfer(
        submission=s, agency=d["agency"], note=d["note"], actor=u)),
}


def _by_code(code: str) -> Submission:
    found = Submission.objects.filter(tracking_code=(code or "").strip().upper()).first()
    if found is None:
        raise ServiceError("Không tìm thấy nội dung có mã theo dõi này.", field="into")
    return found


@require_POST
def act(request, pk, action):
    submission = _visible(request, pk)
    if action not in ACTIONS:
        raise Http404
    form_class, run = ACTIONS[action]
    form = form_class(request.POST) if form_class else None
    if form is None or form.is_valid():
        try:
            run(submission, form.cleaned_data if form else {}, request.user)
        except PermissionDeniedError:
            raise
        except ServiceError as exc:
            if form is None:
                raise
            _refused(form, exc)
        else:
            return redirect("intake:detail", pk=pk)
    context = {"s": submission, "can_triage": access.can_triage(request.user),
               "can_answer": access.can_answer(request.user, submission), f"{action}_form": form,
               "open_action": action}
    return render(request, "intake/detail.html", context, status=400)


@require_http_methods(["GET", "POST"])
def sender_data(request):
    """The office exports (GET with a contact: a JSON download - reading only) or erases (POST) one sender's
    personal data."""
    access.require(access.can_triage(request.user), services.TRIAGE_ONLY)
    form = forms.SenderForm(request.POST or request.GET or None)
    erased = None
    if form.is_bound and form.is_valid():
        contact = form.cleaned_data["contact"]
        try:
            if request.method == "POST":
                erased = services.sender_erase(contact=contact, actor=request.user)
            else:
                data = services.sender_export(contact=contact, actor=request.user)
                response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=2),
                                        content_type="application/json; charset=utf-8")
                response["Content-Disposition"] = 'attachment; filename="du-lieu-nguoi-gui.json"'
                return response
        except ServiceError as exc:
            _refused(form, exc)
    return render(request, "intake/sender_data.html", {"form": form, "erased": erased})
