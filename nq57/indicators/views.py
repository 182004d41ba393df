"""Indicator pages: list, detail (chart, values, entry, validation), office forms, proposals, dashboard, growth
accounting, scorecards and exports. Views parse input, call services and selectors, render."""

from __future__ import annotations

import io

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from nq57.agencies.models import Agency
from nq57.core import access
from nq57.core.errors import NotFoundError, ServiceError
from nq57.core.uploads import check_upload
from nq57.indicators import exports, growth, projection, scoring, selectors, services
from nq57.indicators.forms import FrameworkForm, ImportForm, IndicatorForm, ValueForm, criteria_text, parse_criteria
from nq57.indicators.models import (
    Criterion,
    CriterionRule,
    Direction,
    Framework,
    Indicator,
    IndicatorKind,
    IndicatorProposal,
    IndicatorStatus,
    IndicatorValue,
    ProposalState,
)
from nq57.notices.models import Notice
from nq57.taxonomy.models import Theme

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAGE_SIZE = 50
PROPOSALS_PAGE = 200  # pending proposals shown (and decided) per screen


def _indicator(request, pk: int) -> Indicator:
    try:
        return access.indicator_for(request.user, pk, queryset=Indicator.objects.select_related(
            "agency", "theme", "technology"))
    except NotFoundError as exc:
        raise Http404(exc.message) from exc


def _office(request) -> None:
    access.require(access.can_manage_indicators(request.user), access.INDICATOR_OFFICE_ONLY)


def _download(body: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def indicator_list(request):
    access.require(access.can_view_indicators(request.user), access.STAFF_ONLY)
    rows = selectors.filtered(request.user, request.GET)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "indicators/indicator_list.html", {
        "page": page, "query": query.urlencode(), "params": request.GET,
        "statuses": IndicatorStatus.choices, "themes": Theme.objects.order_by("name"),
        "agencies": Agency.objects.filter(indicators__isnull=False).distinct().order_by("name"),
        "can_manage": access.can_manage_indicators(request.user),
        "pending": selectors.pending_values_count(request.user),
    })


def _detail_context(request, indicator: Indicator, *, value_form=None) -> dict:
    values = list(selectors.values_of(indicator))
    chart = selectors.chart(indicator, values=values)
    can_enter = access.can_enter_indicator_value(request.user, indicator)
    today = timezone.localdate()
    year, quarter = services.last_ended_period(indicator.period, today)
    return {
        "indicator": indicator, "values": values, "chart": chart, "status": chart["status"],
        "targets": list(indicator.targets.all()), "sources": list(indicator.sources.select_related("notice")),
        "can_enter": can_enter, "can_manage": access.can_manage_indicators(request.user),
        "value_form": value_form or ValueForm(initial={"year": year, "quarter": quarter}, period=indicator.period),
        "rule": projection.RULE_TEXT, "status_label": IndicatorStatus(chart["status"].code).label,
    }


@require_GET
def indicator_detail(request, pk: int):
    indicator = _indicator(request, pk)
    return render(request, "indicators/indicator_detail.html", _detail_context(request, indicator))


@require_POST
def value_enter(request, pk: int):
    indicator = _indicator(request, pk)
    access.require(access.can_enter_indicator_value(request.user, indicator), access.INDICATOR_ENTER_REFUSED)
    form = ValueForm(request.POST, request.FILES, period=indicator.period)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.value_submit(actor=request.user, indicator=indicator, year=data["year"],
                                  quarter=data["quarter"] or 0, value=data["value"], note=data["note"],
                                  evidence_link=data["evidence_link"], evidence_file=data["evidence_file"])
        except ServiceError as exc:
            for name, errors in exc.errors.items():
                for error in errors:
                    form.add_error(name if name in form.fields else None, error)
            if not exc.errors:
                form.add_error(None, exc.message)
        else:
            messages.success(request, "Đã ghi giá trị. Cơ quan Thường trực sẽ xác nhận.")
            return redirect(indicator.get_absolute_url())
    context = _detail_context(request, indicator, value_form=form)
    if request.FILES.get("evidence_file"):
        context["lost_file"] = request.FILES["evidence_file"].name
    return render(request, "indicators/indicator_detail.html", context, status=400)


@require_POST
def value_validate(request, pk: int):
    value = get_object_or_404(IndicatorValue.objects.select_related("indicator"), pk=pk)
    _office(request)
    accept = request.POST.get("decision") == "accept"
    try:
        services.value_validate(actor=request.user, value=value, accept=accept, note=request.POST.get("note", ""))
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Đã xác nhận giá trị." if accept else "Đã không chấp nhận giá trị.")
    return redirect(value.indicator.get_absolute_url())


@require_GET
def evidence_download(request, pk: int):
    value = get_object_or_404(IndicatorValue, pk=pk)
    _indicator(request, value.indicator_id)
    if not value.evidence_file:
        raise Http404("Không có tệp minh chứng.")
    return FileResponse(value.evidence_file.open("rb"), as_attachment=True,
                        filename=value.evidence_name or value.evidence_file.name)


def _form_kwargs(data: dict) -> dict:
    return {"name": data["name"], "code": data["code"], "unit": data["unit"], "kind": data["kind"],
            "direction": data["direction"], "period": data["period"], "agency": data["agency"],
            "theme": data["theme"], "technology": data["technology"], "baseline_value": data["baseline_value"],
            "baseline_year": data["baseline_year"], "method": data["method"], "data_source": data["data_source"],
            "value_source": data["value_source"], "computation": data["computation"]}


def _indicator_form(request, indicator: Indicator | None):
    _office(request)
    if request.method == "POST":
        form = IndicatorForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                targets = services.parse_targets(data["targets"])
                if indicator is None:
                    indicator = services.indicator_create(actor=request.user, targets=targets, **_form_kwargs(data))
                else:
                    indicator = services.indicator_update(actor=request.user, indicator=indicator, targets=targets,
                                                          **_form_kwargs(data))
            except ServiceError as exc:
                for name, errors in exc.errors.items():
                    for error in errors:
                        form.add_error(name if name in form.fields else None, error)
            else:
                messages.success(request, "Đã lưu chỉ tiêu.")
                return redirect(indicator.get_absolute_url())
        status = 400
    else:
        initial = {"kind": IndicatorKind.COUNT, "direction": Direction.HIGHER}
        if indicator is not None:
            initial = {name: getattr(indicator, name) for name in services.INDICATOR_FIELDS}
            initial["targets"] = "\n".join(f"{t.year}: {t.text or format(t.value.normalize(), 'f')}"
                                           for t in indicator.targets.all())
        form, status = IndicatorForm(initial=initial), 200
    return render(request, "indicators/indicator_form.html", {"form": form, "indicator": indicator}, status=status)


def indicator_new(request):
    return _indicator_form(request, None)


def indicator_edit(request, pk: int):
    return _indicator_form(request, _indicator(request, pk))


def _may_import(request) -> None:
    user = request.user
    access.require(access.can_view_indicators(user) and (user.is_office or user.is_focal_point),
                   access.INDICATOR_ENTER_REFUSED)


def _enterable(user):
    rows = access.indicators_visible_to(user).filter(value_source="entered").select_related("agency")
    if not user.is_office:
        rows = rows.filter(agency_id__in=access.agency_scope_ids(user))
    return rows.order_by("name", "id")


@require_GET
def values_template(request):
    """A workbook to fill in: one row per indicator the person may enter, for the last ended period."""
    from openpyxl import Workbook

    from nq57.core.spreadsheet import neutralise_workbook

    _may_import(request)
    today = timezone.localdate()
    book = Workbook()
    sheet = book.active
    sheet.title = "Giá trị chỉ tiêu"
    sheet.append(services.XLSX_HEADERS)
    for indicator in _enterable(request.user).iterator():
        year, quarter = services.last_ended_period(indicator.period, today)
        sheet.append([indicator.pk, indicator.name, year, quarter or None, None, "", ""])
    neutralise_workbook(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return _download(buffer.getvalue(), XLSX, f"mau-gia-tri-chi-tieu-{today:%Y%m%d}.xlsx")


def values_import(request):
    _may_import(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            check_upload(upload, allowed={".xlsx": (b"PK\x03\x04",)})
            rows = services.read_values_sheet(upload)
            written = services.values_import(actor=request.user, rows=rows)
        except ServiceError as exc:
            errors = exc.errors.get("file") or [exc.message]
            if exc.message not in errors:
                errors.insert(0, exc.message)
        else:
            messages.success(request, f"Đã nhập {len(written)} giá trị.")
            return redirect("indicators:indicator_list")
    return render(request, "indicators/values_import.html",
                  {"form": form, "errors": errors, "headers": services.XLSX_HEADERS},
                  status=400 if request.method == "POST" else 200)


def _int(raw) -> int | None:
    raw = (raw or "").strip()
    return int(raw) if raw.isdigit() and len(raw) < 18 else None


# --- proposals -----------------------------------------------------------------------------------------------------

def proposals(request):
    _office(request)
    pending = list(IndicatorProposal.objects.filter(state=ProposalState.PENDING)
                   .select_related("notice", "agency", "suggested").order_by("notice_id", "id")[:PROPOSALS_PAGE])
    errors: dict = {}
    posted: dict = {}
    if request.method == "POST":
        decisions = []
        for proposal in pending:
            prefix = f"p{proposal.pk}"
            action = request.POST.get(f"{prefix}-action", "keep")
            posted[proposal.pk] = {k[len(prefix) + 1:]: v for k, v in request.POST.items() if k.startswith(prefix)}
            if action == "keep":
                continue
            decision = {"id": proposal.pk, "action": action,
                        "indicator_id": _int(request.POST.get(f"{prefix}-merge_into")),
                        "name": request.POST.get(f"{prefix}-name") or proposal.name,
                        "unit": request.POST.get(f"{prefix}-unit", proposal.unit),
                        "kind": request.POST.get(f"{prefix}-kind") or proposal.kind,
                        "direction": request.POST.get(f"{prefix}-direction") or proposal.direction}
            year = services.parse_number(request.POST.get(f"{prefix}-year"))
            decision["year"] = int(year) if year is not None else None
            decision["value"] = services.parse_number(request.POST.get(f"{prefix}-value"))
            decision["agency_id"] = _int(request.POST.get(f"{prefix}-agency"))
            decisions.append(decision)
        if not decisions:
            messages.info(request, "Chưa chọn thao tác nào.")
            return redirect("indicators:proposals")
        try:
            counts = services.proposals_decide(actor=request.user, decisions=decisions)
        except ServiceError as exc:
            errors = {int(k[1:]): v for k, v in exc.errors.items() if k.startswith("p")}
            messages.error(request, exc.message)
        else:
            messages.success(request, f"Đã tạo {counts['create']} chỉ tiêu, gộp {counts['merge']} đề xuất vào chỉ "
                                      f"tiêu có sẵn, bỏ qua {counts['dismiss']} đề xuất.")
            return redirect("indicators:proposals")
    rows = [{"proposal": p, "errors": errors.get(p.pk, []), "posted": posted.get(p.pk, {})} for p in pending]
    return render(request, "indicators/proposals.html", {
        "rows": rows, "kinds": IndicatorKind.choices, "directions": Direction.choices,
        "agencies": Agency.objects.filter(dissolved_on__isnull=True).order_by("name").only("id", "name"),
        "indicators": Indicator.objects.order_by("name").only("id", "name")[:5000],
        "notices": Notice.objects.order_by("-issued_on", "-id")[:200],
    }, status=400 if errors else 200)


@require_POST
def proposals_collect(request):
    _office(request)
    notice_id = request.POST.get("notice")
    try:
        if notice_id:
            notice = get_object_or_404(Notice, pk=notice_id)
            count = len(services.proposals_from_notice(actor=request.user, notice=notice))
        else:
            count = services.proposals_collect(actor=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Đã lập {count} chỉ tiêu đề xuất từ văn bản." if count
                         else "Không có chỉ tiêu mới nào trong các văn bản.")
    return redirect("indicators:proposals")


@require_POST
def proposals_from_sheet(request):
    _office(request)
    upload = request.FILES.get("file")
    notice = Notice.objects.filter(pk=_int(request.POST.get("notice"))).first()
    try:
        if upload is None:
            raise ServiceError("Hãy chọn tệp Excel phụ lục chỉ tiêu.", field="file")
        check_upload(upload, allowed={".xlsx": (b"PK\x03\x04",)})
        made = services.proposals_from_sheet(actor=request.user, rows=services.read_values_sheet(upload),
                                             notice=notice)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Đã lập {len(made)} chỉ tiêu đề xuất từ tệp Excel.")
    return redirect("indicators:proposals")


# --- dashboard and exports -----------------------------------------------------------------------------------------

@require_GET
def dashboard(request):
    access.require(access.can_view_indicators(request.user), access.STAFF_ONLY)
    data = selectors.dashboard(request.user)
    fmt = request.GET.get("format")
    if fmt in ("xlsx", "docx"):
        rows = selectors.filtered(request.user, {}).select_related("agency", "theme")
        today = timezone.localdate()
        if fmt == "xlsx":
            return _download(exports.dashboard_xlsx(data, rows.iterator()), XLSX, f"chi-tieu-{today:%Y%m%d}.xlsx")
        return _download(exports.dashboard_docx(data, rows, issued_on=today), DOCX, f"chi-tieu-{today:%Y%m%d}.docx")
    return render(request, "indicators/dashboard.html", {**data, "rule": projection.RULE_TEXT})


# --- growth accounting ---------------------------------------------------------------------------------------------

GROWTH_FIELDS = (("output", "GDP (sản lượng)"), ("capital", "Vốn (tài sản cố định)"), ("labour", "Lao động"),
                 ("digital", "Giá trị kinh tế số (tùy chọn)"))


@require_GET
def growth_page(request):
    access.require(access.can_view_indicators(request.user), access.STAFF_ONLY)
    chosen = {}
    for name, _label in GROWTH_FIELDS:
        raw = request.GET.get(name, "")
        chosen[name] = Indicator.objects.filter(pk=int(raw)).first() if raw.isdigit() else None
    alpha_raw = request.GET.get("alpha", "")
    alpha = services.parse_number(alpha_raw) if alpha_raw else None
    error, result = "", None
    if request.GET:
        if not all(chosen[n] for n in ("output", "capital", "labour")):
            error = "Hãy chọn các chỉ tiêu GDP, vốn và lao động."
        elif alpha is None or not 0 < alpha < 1:
            error = "Tỷ phần vốn α phải là số lớn hơn 0 và nhỏ hơn 1 (ví dụ 0,4)."
        else:
            result = growth.growth_accounting(
                output=selectors.yearly_series(chosen["output"]), capital=selectors.yearly_series(chosen["capital"]),
                labour=selectors.yearly_series(chosen["labour"]), alpha=float(alpha),
                digital=selectors.yearly_series(chosen["digital"]) if chosen["digital"] else None)
            if not result.years and not result.digital_share:
                error = "Chưa đủ số liệu: cần giá trị của ít nhất hai năm liền nhau cho cả GDP, vốn và lao động."
    return render(request, "indicators/growth.html", {
        "fields": [(n, label, chosen[n]) for n, label in GROWTH_FIELDS], "alpha": alpha_raw,
        "indicators": Indicator.objects.order_by("name").only("id", "name", "unit")[:3000],
        "result": result, "error": error, "method": growth.METHOD_TEXT,
    }, status=400 if error else 200)


# --- scorecards ----------------------------------------------------------------------------------------------------

@require_GET
def scorecard_list(request):
    access.require(access.can_view_indicators(request.user), access.STAFF_ONLY)
    return render(request, "indicators/scorecard_list.html", {
        "frameworks": Framework.objects.prefetch_related("versions").order_by("name"),
        "can_manage": access.can_manage_indicators(request.user)})


def framework_new(request):
    _office(request)
    form = FrameworkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            framework = services.framework_create(
                actor=request.user, name=data["name"], subject_kind=data["subject_kind"],
                description=data["description"], criteria=parse_criteria(data["criteria"]),
                subject_ids=[a.pk for a in data["subjects"]])
        except ServiceError as exc:
            for error in exc.errors.get("criteria", [exc.message]):
                form.add_error("criteria", error)
        else:
            messages.success(request, "Đã tạo bộ tiêu chí.")
            return redirect("indicators:scorecard_detail", pk=framework.pk)
    return render(request, "indicators/framework_form.html", {"form": form},
                  status=400 if request.method == "POST" else 200)


def _year(request) -> int:
    raw = request.GET.get("year", "")
    return int(raw) if raw.isdigit() and 1990 <= int(raw) <= 2100 else timezone.localdate().year - 1


@require_GET
def scorecard_detail(request, pk: int):
    access.require(access.can_view_indicators(request.user), access.STAFF_ONLY)
    framework = get_object_or_404(Framework, pk=pk)
    versions = list(framework.versions.order_by("-number"))
    number = request.GET.get("version", "")
    version = next((v for v in versions if str(v.number) == number), versions[0] if versions else None)
    if version is None:
        raise Http404("Bộ tiêu chí chưa có phiên bản nào.")
    year = _year(request)
    result = selectors.scorecard_results(version, year)
    fmt = request.GET.get("format")
    if fmt == "xlsx":
        return _download(exports.scorecard_xlsx(result), XLSX, f"bo-tieu-chi-{framework.pk}-{year}.xlsx")
    if fmt == "docx":
        return _download(exports.scorecard_docx(result, issued_on=timezone.localdate()), DOCX,
                         f"bo-tieu-chi-{framework.pk}-{year}.docx")
    years = [year - 2, year - 1, year]
    rows = [{"result": r, "cells": [(c, r.scores.get(c.pk)) for c in result["criteria"]]} for r in result["results"]]
    return render(request, "indicators/scorecard_detail.html", {
        "framework": framework, "version": version, "versions": versions, "year": year, "result": result,
        "rows": rows, "compare": selectors.scorecard_compare(framework, years), "years": years,
        "rule": scoring.RULE_TEXT, "can_manage": access.can_manage_indicators(request.user),
        "can_score": access.can_score(request.user), "criteria_text": criteria_text(version),
        "assessor_criteria": [c for c in result["criteria"] if c.rule == CriterionRule.ASSESSOR],
        "subjects": [s.agency for s in framework.subjects.select_related("agency")],
        "all_agencies": Agency.objects.filter(dissolved_on__isnull=True).order_by("name").only("id", "name")
        if access.can_manage_indicators(request.user) else [],
    })


@require_POST
def score_enter(request, pk: int):
    criterion = get_object_or_404(Criterion.objects.select_related("version__framework"), pk=pk)
    subject = get_object_or_404(Agency, pk=request.POST.get("subject") or 0)
    year = services.parse_number(request.POST.get("year"))
    try:
        services.score_enter(actor=request.user, criterion=criterion, subject=subject, year=int(year or 0),
                             score=request.POST.get("score", ""), evidence=request.POST.get("evidence", ""))
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Đã ghi điểm đánh giá.")
    framework = criterion.version.framework
    return redirect(f"{reverse('indicators:scorecard_detail', args=[framework.pk])}?year={int(year or 0)}"
                    f"&version={criterion.version.number}")


@require_POST
def framework_revise(request, pk: int):
    framework = get_object_or_404(Framework, pk=pk)
    _office(request)
    try:
        version = services.framework_revise(actor=request.user, framework=framework,
                                            criteria=parse_criteria(request.POST.get("criteria", "")),
                                            note=request.POST.get("note", ""))
    except ServiceError as exc:
        messages.error(request, " ".join(exc.errors.get("criteria", [exc.message])))
        return redirect("indicators:scorecard_detail", pk=framework.pk)
    subjects = [i for i in (_int(v) for v in request.POST.getlist("subjects")) if i]
    if subjects:
        services.framework_subjects_set(actor=request.user, framework=framework, agency_ids=subjects)
    messages.success(request, f"Đã lưu bộ tiêu chí (phiên bản {version.number}).")
    return redirect(f"{reverse('indicators:scorecard_detail', args=[framework.pk])}?version={version.number}")
