"""Every write of the indicators app: indicators, targets, values (entered, imported, computed), validation,
proposals from imported documents, scorecards. Keyword-only arguments, one transaction each, access checked inside
through ``nq57.core.access``; the denormalised latest value and status of an indicator are refreshed in the same
transaction as the write that changes them (``indicator_refresh``)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from nq57.core import access
from nq57.core.audit import acting
from nq57.core.errors import ServiceError
from nq57.core.events import publish
from nq57.core.uploads import check_upload
from nq57.indicators import projection
from nq57.indicators.computations import computation
from nq57.indicators.models import (
    AssessorScore,
    Criterion,
    CriterionRule,
    Direction,
    Framework,
    FrameworkVersion,
    Indicator,
    IndicatorKind,
    IndicatorProposal,
    IndicatorSource,
    IndicatorTarget,
    IndicatorValue,
    Period,
    ProposalState,
    ScorecardSubject,
    ValueOrigin,
    ValueSource,
    ValueState,
)
from nq57.text.vietnamese import fold, quarter_end

MIN_YEAR, MAX_YEAR = 1990, 2100
#: a period's value is due this many days after the period ends
VALUE_DUE_DAYS = {Period.QUARTERLY: 30, Period.YEARLY: 90}


# --- numbers and periods -----------------------------------------------------------------------------------------

RE_NUMBER = re.compile(r"\d[\d.,]*")


def parse_number(text) -> Decimal | None:
    """A number as Vietnamese documents write it: ``50.000`` = 50000, ``0,7`` = 0.7, ``1.234,5`` = 1234.5,
    ``≥ 55`` = 55, ``40 - 50`` = 40 (the first number), ``09`` = 9. ``None`` when there is none."""
    if text is None:
        return None
    if isinstance(text, (int, float, Decimal)):
        return Decimal(str(text))
    match = RE_NUMBER.search(str(text))
    if not match:
        return None
    raw = match.group(0).rstrip(".,")
    if "," in raw and "." in raw:  # the last separator is the decimal one
        raw = raw.replace(".", "").replace(",", ".") if raw.rfind(",") > raw.rfind(".") else raw.replace(",", "")
    elif "," in raw:  # Vietnamese decimal comma; several commas are thousands separators
        raw = raw.replace(",", ".") if raw.count(",") == 1 else raw.replace(",", "")
    elif "." in raw and (raw.count(".") > 1 or all(len(g) == 3 for g in raw.split(".")[1:])):
        raw = raw.replace(".", "")  # Vietnamese thousands separators: 50.000
    try:
        return Decimal(raw)
    except InvalidOperation:
        return None


def period_bounds(year: int, quarter: int = 0) -> tuple[dt.date, dt.date]:
    if quarter:
        start = dt.date(year, 3 * quarter - 2, 1)
        return start, quarter_end(year, quarter)
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def last_ended_period(period: str, today: dt.date) -> tuple[int, int]:
    """The latest period that has ended by ``today`` (year, quarter; quarter 0 for a year)."""
    if period == Period.QUARTERLY:
        quarter = (today.month - 1) // 3  # the quarter before the current one
        return (today.year - 1, 4) if quarter == 0 else (today.year, quarter)
    return today.year - 1, 0


def current_period(period: str, today: dt.date) -> tuple[int, int]:
    return (today.year, (today.month - 1) // 3 + 1) if period == Period.QUARTERLY else (today.year, 0)


def value_due_on(indicator: Indicator, year: int, quarter: int) -> dt.date:
    return period_bounds(year, quarter)[1] + dt.timedelta(days=VALUE_DUE_DAYS[indicator.period])


# --- status and denormalised fields --------------------------------------------------------------------------------

def series(indicator: Indicator, values=None) -> list[tuple[float, float]]:
    """The points of the projection: every value not refused by the office, at its period's end."""
    rows = values if values is not None else indicator.values.exclude(state=ValueState.REJECTED).values_list(
        "year", "quarter", "value")
    return sorted((projection.period_t(y, q), float(v)) for y, q, v in rows)


def indicator_status(indicator: Indicator, *, today: dt.date | None = None, points=None, targets=None):
    today = today or timezone.localdate()
    points = series(indicator) if points is None else points
    targets = [(t.year, float(t.value)) for t in indicator.targets.all()] if targets is None else targets
    today_t = today.year - 1 + (today.timetuple().tm_yday / 366)
    return projection.status_for(points, targets, direction=indicator.direction, milestone=indicator.is_milestone,
                                 today_t=today_t)


def _decimal(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(round(value, 4)))


def indicator_refresh(indicator: Indicator, *, today: dt.date | None = None) -> Indicator:
    """Recompute the stored latest value, status, next target and projection (called inside each write)."""
    rows = list(indicator.values.exclude(state=ValueState.REJECTED).values_list("year", "quarter", "value"))
    rows.sort(key=lambda r: (r[0], r[1] or 5))
    result = indicator_status(indicator, today=today, points=series(indicator, rows))
    old = indicator.status
    latest = rows[-1] if rows else None
    indicator.latest_year, indicator.latest_quarter, indicator.latest_value = latest if latest else (None, None, None)
    indicator.values_count = len(rows)
    indicator.status = result.code
    indicator.next_target_year = result.target[0] if result.target else None
    indicator.next_target_value = _decimal(result.target[1]) if result.target else None
    indicator.projected_value = _decimal(result.projection.central) if result.projection else None
    Indicator.objects.filter(pk=indicator.pk).update(
        latest_year=indicator.latest_year, latest_quarter=indicator.latest_quarter,
        latest_value=indicator.latest_value, values_count=indicator.values_count, status=indicator.status,
        next_target_year=indicator.next_target_year, next_target_value=indicator.next_target_value,
        projected_value=indicator.projected_value)
    if old != indicator.status:
        publish("indicator.status_changed", indicator_id=indicator.pk, status=indicator.status, previous=old)
    return indicator


STORED = ("latest_year", "latest_quarter", "latest_value", "values_count", "status", "next_target_year",
          "next_target_value", "projected_value")


@transaction.atomic
def statuses_refresh(*, today: dt.date | None = None) -> int:
    """Every indicator's stored status recomputed for ``today`` (a target year passes without any new value): one
    pass over the values and the targets, only the changed rows written; returns how many changed."""
    today = today or timezone.localdate()
    values: dict[int, list] = {}
    for indicator_id, year, quarter, value in (IndicatorValue.objects.exclude(state=ValueState.REJECTED)
                                               .values_list("indicator_id", "year", "quarter", "value")
                                               .iterator(chunk_size=20000)):
        values.setdefault(indicator_id, []).append((year, quarter, value))
    targets: dict[int, list] = {}
    for indicator_id, year, value in IndicatorTarget.objects.values_list("indicator_id", "year", "value"):
        targets.setdefault(indicator_id, []).append((year, float(value)))
    changed = []
    for indicator in Indicator.objects.only("id", "direction", "kind", *STORED).iterator(chunk_size=2000):
        rows = sorted(values.get(indicator.pk, []), key=lambda r: (r[0], r[1] or 5))
        result = indicator_status(indicator, today=today, points=series(indicator, rows),
                                  targets=targets.get(indicator.pk, []))
        before = tuple(getattr(indicator, name) for name in STORED)
        indicator.latest_year, indicator.latest_quarter, indicator.latest_value = rows[-1] if rows else (None,) * 3
        indicator.values_count = len(rows)
        indicator.status = result.code
        indicator.next_target_year = result.target[0] if result.target else None
        indicator.next_target_value = _decimal(result.target[1]) if result.target else None
        indicator.projected_value = _decimal(result.projection.central) if result.projection else None
        after = tuple(getattr(indicator, name) for name in STORED)
        if before != after:
            if before[4] != indicator.status:
                publish("indicator.status_changed", indicator_id=indicator.pk, status=indicator.status,
                        previous=before[4])
            changed.append(indicator)
    Indicator.objects.bulk_update(changed, STORED, batch_size=1000)
    return len(changed)


# --- indicators ----------------------------------------------------------------------------------------------------

INDICATOR_FIELDS = ("code", "name", "unit", "direction", "kind", "baseline_value", "baseline_year", "agency", "theme",
                    "technology", "method", "data_source", "period", "value_source", "computation")


ID_FIELDS = ("agency_id", "theme_id", "technology_id")


def _by_id(fields: dict) -> dict:
    """``agency_id=`` and ``agency=`` both accepted (the latter wins)."""
    out = dict(fields)
    for name in ID_FIELDS:
        if out.get(name[:-3]) is not None:
            out.pop(name, None)
    return out


def _check_indicator(data: dict) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not (data.get("name") or "").strip():
        errors["name"] = ["Hãy nhập tên chỉ tiêu."]
    elif len(data["name"]) > 600:
        errors["name"] = ["Tên chỉ tiêu tối đa 600 ký tự."]
    if data.get("direction") not in Direction.values:
        errors["direction"] = ["Chiều tốt không hợp lệ."]
    if data.get("kind") not in IndicatorKind.values:
        errors["kind"] = ["Loại chỉ tiêu không hợp lệ."]
    if data.get("period") not in Period.values:
        errors["period"] = ["Kỳ số liệu không hợp lệ."]
    year = data.get("baseline_year")
    if year is not None and not MIN_YEAR <= int(year) <= MAX_YEAR:
        errors["baseline_year"] = [f"Năm cơ sở phải từ {MIN_YEAR} đến {MAX_YEAR}."]
    if data.get("value_source") == ValueSource.COMPUTED and computation(data.get("computation") or "") is None:
        errors["computation"] = ["Chỉ tiêu tính từ hệ thống cần chọn một phép tính đã đăng ký."]
    return errors


def _check_targets(targets) -> tuple[list[tuple[int, Decimal, str]], list[str]]:
    clean, errors, years = [], [], set()
    for year, value, text in targets:
        if year is None or not MIN_YEAR <= int(year) <= MAX_YEAR:
            errors.append(f"Năm mục tiêu phải từ {MIN_YEAR} đến {MAX_YEAR}.")
            continue
        if value is None:
            errors.append(f"Mục tiêu năm {year} chưa có giá trị số.")
            continue
        if int(year) in years:
            errors.append(f"Năm {year} có hai mục tiêu; mỗi năm một mục tiêu.")
            continue
        years.add(int(year))
        clean.append((int(year), Decimal(value), (text or "")[:300]))
    return clean, errors


def parse_targets(text: str) -> list[tuple[int | None, Decimal | None, str]]:
    """Targets typed one per line as ``năm: giá trị`` (``2030: ≥ 55``)."""
    out = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        year_text, _, value_text = line.partition(":")
        year = parse_number(year_text)
        out.append((int(year) if year is not None else None, parse_number(value_text), value_text.strip()))
    return out


@acting
@transaction.atomic
def indicator_create(*, actor, targets=(), sources=(), **fields) -> Indicator:
    access.require(access.can_manage_indicators(actor), access.INDICATOR_OFFICE_ONLY)
    data = {"direction": Direction.HIGHER, "kind": IndicatorKind.COUNT, "period": Period.YEARLY,
            "value_source": ValueSource.ENTERED, **_by_id(fields)}
    errors = _check_indicator(data)
    clean_targets, target_errors = _check_targets(targets)
    if target_errors:
        errors["targets"] = target_errors
    if errors:
        raise ServiceError(next(iter(errors.values()))[0], errors=errors)
    data["name"] = data["name"].strip()
    indicator = Indicator.objects.create(search_key=fold(data["name"]),
                                         **{k: v for k, v in data.items() if k in INDICATOR_FIELDS + ID_FIELDS})
    for year, value, text in clean_targets:
        IndicatorTarget.objects.create(indicator=indicator, year=year, value=value, text=text)
    for notice, path, sentence in sources:
        IndicatorSource.objects.create(indicator=indicator, notice=notice, path=path or "", sentence=sentence)
    indicator_refresh(indicator)
    publish("indicator.created", indicator_id=indicator.pk)
    return indicator


@acting
@transaction.atomic
def indicator_update(*, actor, indicator: Indicator, targets=None, **fields) -> Indicator:
    access.require(access.can_manage_indicators(actor), access.INDICATOR_OFFICE_ONLY)
    indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
    data = {k: getattr(indicator, k) for k in INDICATOR_FIELDS} | _by_id(fields)
    errors = _check_indicator(data)
    clean_targets = None
    if targets is not None:
        clean_targets, target_errors = _check_targets(targets)
        if target_errors:
            errors["targets"] = target_errors
    if errors:
        raise ServiceError(next(iter(errors.values()))[0], errors=errors)
    for name in INDICATOR_FIELDS + ID_FIELDS:
        if name in data:
            setattr(indicator, name, data[name])
    indicator.name = indicator.name.strip()
    indicator.search_key = fold(indicator.name)
    indicator.save()
    if clean_targets is not None:
        keep = {year for year, _v, _t in clean_targets}
        indicator.targets.exclude(year__in=keep).delete()
        for year, value, text in clean_targets:
            IndicatorTarget.objects.update_or_create(indicator=indicator, year=year,
                                                     defaults={"value": value, "text": text})
    return indicator_refresh(indicator)


# --- values --------------------------------------------------------------------------------------------------------

def _check_period(indicator: Indicator, year, quarter, today: dt.date) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if year is None or not MIN_YEAR <= int(year) <= MAX_YEAR:
        errors["year"] = [f"Năm phải từ {MIN_YEAR} đến {MAX_YEAR}."]
        return errors
    quarter = int(quarter or 0)
    if indicator.period == Period.QUARTERLY and not 1 <= quarter <= 4:
        errors["quarter"] = ["Chỉ tiêu này có số liệu theo quý: hãy chọn quý 1 đến 4."]
    elif indicator.period == Period.YEARLY and quarter:
        errors["quarter"] = ["Chỉ tiêu này có số liệu theo năm: không chọn quý."]
    elif period_bounds(int(year), quarter)[0] > today:
        errors["year"] = ["Không nhập giá trị cho kỳ chưa bắt đầu."]
    return errors


@acting
@transaction.atomic
def value_submit(*, actor, indicator: Indicator, year: int, quarter: int = 0, value, note: str = "",
                 evidence_file=None, evidence_link: str = "", origin: str = ValueOrigin.WEB,
                 at: dt.datetime | None = None) -> IndicatorValue:
    """Enter (or correct) the value of one period. A focal point enters values only for the indicators their
    organisation is responsible for; a corrected value goes back to "waiting for validation"."""
    access.require(access.can_enter_indicator_value(actor, indicator), access.INDICATOR_ENTER_REFUSED)
    at = at or timezone.now()
    errors = _check_period(indicator, year, quarter, timezone.localtime(at).date())
    number = parse_number(value) if isinstance(value, str) else (None if value is None else Decimal(str(value)))
    if isinstance(value, str) and number is not None and not re.fullmatch(r"\s*-?[\d.,]+\s*", value):
        number = None
    if number is None:
        errors["value"] = ["Giá trị phải là một số (ví dụ 12,5)."]
    elif indicator.is_milestone and number not in (0, 1):
        errors["value"] = ["Chỉ tiêu dạng có/không nhận giá trị 1 (đã đạt) hoặc 0 (chưa đạt)."]
    elif abs(number) >= Decimal("1e15"):
        errors["value"] = ["Giá trị quá lớn."]
    if evidence_file is not None:
        try:
            check_upload(evidence_file)
        except ServiceError as exc:
            errors["evidence_file"] = [exc.message]
    link = (evidence_link or "").strip()
    if link and not re.match(r"^https?://\S+$", link):
        errors["evidence_link"] = ["Liên kết minh chứng phải bắt đầu bằng http:// hoặc https://."]
    if len(note or "") > 4000:
        errors["note"] = ["Ghi chú tối đa 4.000 ký tự."]
    if errors:
        raise ServiceError(next(iter(errors.values()))[0], errors=errors)
    quarter = int(quarter or 0)
    Indicator.objects.select_for_update().filter(pk=indicator.pk).first()
    row = IndicatorValue.objects.filter(indicator=indicator, year=int(year), quarter=quarter).first()
    if row is None:
        row = IndicatorValue(indicator=indicator, year=int(year), quarter=quarter)
    row.value, row.note, row.origin, row.entered_by, row.entered_at = number, (note or "").strip(), origin, \
        (actor if getattr(actor, "pk", None) else None), at
    row.state = ValueState.VALIDATED if origin == ValueOrigin.COMPUTED else ValueState.SUBMITTED
    row.validated_by, row.validated_at, row.validation_note = None, None, ""
    if link:
        row.evidence_link = link
    if evidence_file is not None:
        row.evidence_file = evidence_file
        row.evidence_name = evidence_file.name[:255]
    row.save()
    indicator_refresh(indicator)
    publish("indicator.value_submitted", indicator_id=indicator.pk, value_id=row.pk, year=row.year,
            quarter=row.quarter)
    return row


@acting
@transaction.atomic
def value_validate(*, actor, value: IndicatorValue, accept: bool, note: str = "") -> IndicatorValue:
    access.require(access.can_manage_indicators(actor), "Chỉ Cơ quan Thường trực được xác nhận giá trị chỉ tiêu.")
    if not accept and not (note or "").strip():
        raise ServiceError("Hãy ghi lý do không chấp nhận giá trị.", field="note")
    new_state = ValueState.VALIDATED if accept else ValueState.REJECTED
    claimed = IndicatorValue.objects.filter(pk=value.pk, state=ValueState.SUBMITTED).update(
        state=new_state, validated_by=actor, validated_at=timezone.now(), validation_note=(note or "").strip())
    if not claimed:
        from nq57.core.errors import ConflictError

        raise ConflictError("Giá trị này đã được xác nhận hoặc đã thay đổi. Vui lòng tải lại trang.")
    value.refresh_from_db()
    value.save(update_fields=["state"])  # the decision in the audit history, by its author (@acting)
    indicator_refresh(value.indicator)
    publish("indicator.value_validated", indicator_id=value.indicator_id, value_id=value.pk, accepted=accept)
    return value


XLSX_HEADERS = ["Mã chỉ tiêu (ID)", "Tên chỉ tiêu", "Năm", "Quý", "Giá trị", "Ghi chú", "Liên kết minh chứng"]


def read_values_sheet(upload) -> list[list]:
    """Rows of the first worksheet of an uploaded .xlsx (header row first), read in the sandbox."""
    from nq57.core.sandbox import run_limited
    from nq57.exchange.sheet import read_first_sheet

    upload.seek(0)
    data = upload.read()
    return run_limited(read_first_sheet, data, memory_mb=512, seconds=30, field="file")


@acting
@transaction.atomic
def values_import(*, actor, rows: list[list], origin: str = ValueOrigin.EXCEL) -> list[IndicatorValue]:
    """Import values from spreadsheet rows (``XLSX_HEADERS``; the header row first): ALL rows or none. Each refused
    row is listed with its number and the reason, in Vietnamese."""
    if not rows:
        raise ServiceError("Tệp không có dòng nào.", field="file")
    body = [r for r in rows[1:] if any(c not in (None, "") for c in r)]
    if not body:
        raise ServiceError("Tệp chỉ có dòng tiêu đề, chưa có giá trị nào.", field="file")
    ids = set()
    for row in body:
        number = parse_number(row[0] if row else None)
        if number is not None:
            ids.add(int(number))
    known = {i.pk: i for i in Indicator.objects.filter(pk__in=ids)}
    errors: list[str] = []
    written = []
    for index, row in enumerate(rows[1:], start=2):
        if not any(c not in (None, "") for c in row):
            continue
        cells = (list(row) + [None] * 7)[:7]
        raw_id, _name, year, quarter, value, note, link = cells
        number = parse_number(raw_id)
        indicator = known.get(int(number)) if number is not None else None
        if indicator is None:
            errors.append(f"Dòng {index}: không có chỉ tiêu mã “{raw_id or ''}”.")
            continue
        try:
            with transaction.atomic():
                written.append(value_submit(
                    actor=actor, indicator=indicator, year=int(parse_number(year)) if parse_number(year) else None,
                    quarter=int(parse_number(quarter) or 0), value=value if isinstance(value, str) else value,
                    note=str(note or ""), evidence_link=str(link or ""), origin=origin))
        except ServiceError as exc:
            errors.append(f"Dòng {index}: {'; '.join(m for ms in exc.errors.values() for m in ms) or exc.message}")
    if errors:
        transaction.set_rollback(True)
        raise ServiceError(f"Không nhập tệp: {len(errors)} dòng có lỗi, chưa ghi giá trị nào.",
                           errors={"file": errors})
    return written


# --- computed values -----------------------------------------------------------------------------------------------

@transaction.atomic
def computed_refresh(*, today: dt.date | None = None) -> int:
    """Compute the value of the current and the last ended period of every computed indicator (the job queue's
    daily run); returns how many values were written or changed."""
    today = today or timezone.localdate()
    changed = 0
    for indicator in Indicator.objects.filter(value_source=ValueSource.COMPUTED):
        found = computation(indicator.computation)
        if found is None:
            continue
        for year, quarter in {last_ended_period(indicator.period, today), current_period(indicator.period, today)}:
            start, end = period_bounds(year, quarter)
            number = found.func(indicator=indicator, start=start, end=min(end, today))
            if number is None:
                continue
            number = Decimal(str(number))
            row = IndicatorValue.objects.filter(indicator=indicator, year=year, quarter=quarter).first()
            if row is not None and row.value == number:
                continue
            if row is None:
                row = IndicatorValue(indicator=indicator, year=year, quarter=quarter)
            row.value, row.origin, row.state, row.entered_at = number, ValueOrigin.COMPUTED, ValueState.VALIDATED, \
                timezone.now()
            row.note = f"Tính tự động: {found.label}"
            row.save()
            changed += 1
        indicator_refresh(indicator, today=today)
    return changed


# --- reminders -----------------------------------------------------------------------------------------------------

def missing_values(*, today: dt.date) -> list[tuple[Indicator, int, int, dt.date]]:
    """Entered indicators with no value for the last ended period: (indicator, year, quarter, due date)."""
    out = []
    for period in (Period.QUARTERLY, Period.YEARLY):
        year, quarter = last_ended_period(period, today)
        rows = (Indicator.objects.filter(value_source=ValueSource.ENTERED, period=period, agency__isnull=False,
                                         created_at__date__lte=period_bounds(year, quarter)[1])
                .exclude(values__year=year, values__quarter=quarter).select_related("agency"))
        for indicator in rows:
            out.append((indicator, year, quarter, value_due_on(indicator, year, quarter)))
    return out


def values_remind(*, today: dt.date | None = None) -> dict:
    """Remind the focal points of the responsible organisation before a period's value is due (7/3/1 days), and
    tell the Standing Office once when it is overdue (the platform's deadline watch: ``remind_before``, ``claim``)."""
    from nq57.indicators.notifications import VALUE_DUE, VALUE_OVERDUE
    from nq57.monitoring.notifications import claim, notify, remind_before, send_claimed
    from nq57.monitoring.recipients import agency_focal_points, office_members

    today = today or timezone.localdate()
    missing = missing_values(today=today)
    due = {i.pk: (y, q, d) for i, y, q, d in missing}
    people = agency_focal_points({i.agency_id for i, *_ in missing})
    sent = remind_before(
        kind=VALUE_DUE, objects=[i for i, *_ in missing], due_on=lambda i: due[i.pk][2],
        recipients=lambda i: people.get(i.agency_id, []), template="indicators/emails/value_due",
        context=lambda i, d, left: {"indicator": i, "period": _period_label(*due[i.pk][:2])},
        url=lambda i: i.get_absolute_url(), today=today)
    escalated = 0
    office = office_members()
    for indicator, year, quarter, due_on in missing:
        if due_on >= today:
            continue
        for user in office:
            dispatch = claim(kind=VALUE_OVERDUE, due_on=due_on, target=indicator, recipient=user, step=0)
            if dispatch is None:
                continue
            if send_claimed(dispatch, lambda u=user, i=indicator, y=year, q=quarter, d=due_on, c=dispatch: notify(
                    recipient=u, kind=VALUE_OVERDUE, template="indicators/emails/value_overdue",
                    context={"indicator": i, "period": _period_label(y, q), "due": d}, target=i,
                    url=i.get_absolute_url(), dispatch=c)):
                escalated += 1
    return {"reminders": len(sent), "escalated": escalated, "missing": len(missing)}


def _period_label(year: int, quarter: int) -> str:
    return f"quý {quarter}/{year}" if quarter else f"năm {year}"


# --- proposals from imported documents ----------------------------------------------------------------------------

RE_RANK = re.compile(r"\b(xep hang|thu hang|top|nhom dau|dung dau|thu bac)\b")
RE_LOWER = re.compile(r"(≤|<=|<|\bkhong qua\b|\bduoi\b|\bgiam\b)")


def guess_shape(name: str, unit: str, value_text: str) -> dict:
    """Kind, direction and numeric target of a target as a document states it (the office corrects them)."""
    folded, unit_f, value_f = fold(name), fold(unit or ""), fold(value_text or "")
    number = parse_number(value_text)
    if RE_RANK.search(folded) or RE_RANK.search(unit_f) or "top" in value_f:
        kind, direction = IndicatorKind.RANK, Direction.LOWER
    elif "%" in (unit or "") or "%" in (value_text or "") or \
            folded.startswith(("ti le", "ty le", "ti trong", "ty trong")):
        kind, direction = IndicatorKind.RATIO, Direction.HIGHER
    elif re.search(r"\b(dong|ty dong|usd|trieu)\b", unit_f):
        kind, direction = IndicatorKind.AMOUNT, Direction.HIGHER
    else:
        kind, direction = IndicatorKind.COUNT, Direction.HIGHER
    if RE_LOWER.search(value_text or "") and kind != IndicatorKind.RANK:
        direction = Direction.LOWER if not re.search(r"[≥>]", value_text or "") else direction
    if number is None:
        kind, number, direction = IndicatorKind.MILESTONE, Decimal(1), Direction.HIGHER
    return {"kind": kind, "direction": direction, "value": number}


def _tokens(text: str) -> set[str]:
    return {w for w in re.findall(r"\w+", fold(text)) if len(w) > 1}


def similar_indicator(name: str, candidates=None) -> Indicator | None:
    """An existing indicator stating the same goal: same folded name, or at least 70% of words in common."""
    key = fold(name)
    exact = Indicator.objects.filter(search_key=key).order_by("id").first()
    if exact:
        return exact
    words = _tokens(name)
    if not words:
        return None
    best, best_score = None, 0.0
    rows = candidates if candidates is not None else Indicator.objects.only("id", "name", "search_key")
    for indicator in rows:
        other = _tokens(indicator.search_key or indicator.name)
        if not other:
            continue
        score = len(words & other) / len(words | other)
        if score > best_score:
            best, best_score = indicator, score
    return best if best_score >= 0.7 else None


def annex_rows(text: str) -> list[dict]:
    """The rows of the indicator tables ("Chỉ tiêu | Đơn vị | Kết quả | Cơ quan chủ trì theo dõi") of a document,
    read by the extractor's table reader: path, text, year (from the "Đến năm 2030" section rows), value, unit,
    lead (the responsible organisation as written)."""
    from nq57.extraction.tables import RE_YEAR_GROUP, joined_text, parse_table
    from nq57.text.vietnamese import strip_markdown_emphasis

    blocks, current = [], []
    for line in (text or "").splitlines():
        if line.strip().startswith("|"):
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    rows = []
    for block in blocks:
        table = parse_table(block)
        if table is None or table.kind != "targets":
            continue
        for row in table.rows:
            name = strip_markdown_emphasis(joined_text(row, "indicator")).strip()
            value = strip_markdown_emphasis(joined_text(row, "result")).strip()
            if not name or not value:
                continue
            year = RE_YEAR_GROUP.search(row.section or "")
            rows.append({"path": row.number, "text": name, "value": value,
                         "year": int(year.group(1)) if year else None,
                         "unit": strip_markdown_emphasis(row.cells.get("unit", "")).strip() or None,
                         "lead": strip_markdown_emphasis(joined_text(row, "lead")).strip() if "lead" in row.cells
                         else ""})
    return rows


def _target_row_sentence(target: dict) -> str:
    parts = [target["text"]]
    if target.get("unit"):
        parts.append(f"đơn vị: {target['unit']}")
    if target.get("value") and target["value"] not in target["text"]:
        parts.append(f"kết quả: {target['value']}")
    if target.get("year"):
        parts.append(f"đến năm {target['year']}")
    return " — ".join(parts)


@acting
@transaction.atomic
def proposals_from_targets(*, actor, targets: list[dict], notice=None, draft=None) -> list[IndicatorProposal]:
    """One proposal per target (skipping those already proposed for the same notice, sentence and year)."""
    from nq57.agencies.services import agency_lookup

    access.require(access.can_manage_indicators(actor) or access.is_system(actor), access.INDICATOR_OFFICE_ONLY)
    existing = set(IndicatorProposal.objects.filter(notice=notice).values_list("sentence", "year")) if notice else set()
    candidates = list(Indicator.objects.only("id", "name", "search_key"))
    created = []
    for target in targets:
        text = (target.get("text") or "").strip()
        if not text:
            continue
        in_table = "lead" in target or bool(target.get("unit"))
        sentence = _target_row_sentence(target) if in_table else text
        year = target.get("year")
        if (sentence, year) in existing:
            continue
        existing.add((sentence, year))
        value_text = str(target.get("value") or "")
        shape = guess_shape(text, target.get("unit") or "", value_text or text)
        lead = (target.get("lead") or "").split(",")[0].strip()
        created.append(IndicatorProposal.objects.create(
            notice=notice, draft=draft, path=str(target.get("path") or "")[:60], sentence=sentence,
            name=text[:600], unit=(target.get("unit") or "")[:120], year=year, value_text=value_text[:300],
            value=shape["value"], kind=shape["kind"], direction=shape["direction"],
            agency=agency_lookup(lead) if lead else None, agency_name=(target.get("lead") or "")[:300],
            suggested=similar_indicator(text, candidates)))
    if created:
        publish("indicator.proposals_created", notice_id=notice.pk if notice else None, count=len(created))
    return created


def notice_targets(notice) -> tuple[list[dict], object]:
    """The targets the extractor found in a notice (from its latest confirmed import; else re-read from its text),
    the annex's responsible organisations added by row number."""
    from nq57.notices.models import NoticeDraft

    draft = NoticeDraft.objects.filter(notice=notice, confirmed_at__isnull=False).order_by("-confirmed_at").first()
    targets = list((draft.extracted or {}).get("targets") or []) if draft else []
    if draft is None and notice.full_text:  # a notice entered without the import: read its text once
        from nq57.extraction import extract_text

        targets = extract_text(notice.full_text, source=notice.number).get("targets") or []
    annex = {(r["path"], fold(r["text"])): r for r in annex_rows(notice.full_text or "")}
    merged = []
    for target in targets:
        row = annex.pop((str(target.get("path") or ""), fold(target.get("text") or "")), None)
        merged.append({**target, "lead": row["lead"]} if row else target)
    merged.extend(annex.values())  # annex rows the extractor did not report
    return merged, draft


def proposals_from_notice(*, actor, notice) -> list[IndicatorProposal]:
    targets, draft = notice_targets(notice)
    return proposals_from_targets(actor=actor, targets=targets, notice=notice, draft=draft)


def proposals_from_sheet(*, actor, rows: list, notice=None) -> list[IndicatorProposal]:
    """An indicator annex kept as a workbook (first sheet: "TT | Chỉ tiêu | Đơn vị | Kết quả | Cơ quan chủ trì theo
    dõi", section rows "I | Đến năm 2030"), read by the same table reader as a document's annex."""
    lines = ["| " + " | ".join("" if c is None else str(c).replace("|", "/") for c in row) + " |"
             for row in rows if any(c not in (None, "") for c in row)]
    targets = annex_rows("\n".join(lines))
    if not targets:
        raise ServiceError("Không tìm thấy bảng chỉ tiêu: dòng tiêu đề cần có các cột “Chỉ tiêu” và “Kết quả” "
                           "(hoặc “Mục tiêu”).", field="file")
    return proposals_from_targets(actor=actor, targets=targets, notice=notice)


def proposals_collect(*, actor) -> int:
    """Proposals from every imported notice whose targets were never proposed (the office's button, the job)."""
    from nq57.notices.models import Notice

    access.require(access.can_manage_indicators(actor) or access.is_system(actor), access.INDICATOR_OFFICE_ONLY)
    done = IndicatorProposal.objects.values("notice_id")
    count = 0
    for notice in Notice.objects.filter(drafts__confirmed_at__isnull=False).exclude(pk__in=done).distinct():
        count += len(proposals_from_notice(actor=actor, notice=notice))
    return count


@acting
@transaction.atomic
def proposals_decide(*, actor, decisions: list[dict]) -> dict:
    """Apply the office's decisions on several proposals in ONE transaction (all or none). Each decision:
    ``{"id", "action": "create"|"merge"|"dismiss"|"keep", "indicator_id" (merge), and for create the edited
    "name", "unit", "year", "value", "kind", "direction", "agency_id"}``. Merging adds the proposal's sentence as a
    further source of the existing indicator and its target when that year has none."""
    from nq57.taxonomy.selectors import technologies_for_text, themes_for_text

    access.require(access.can_manage_indicators(actor), access.INDICATOR_OFFICE_ONLY)
    ids = [int(d["id"]) for d in decisions]
    proposals = {p.pk: p for p in IndicatorProposal.objects.select_for_update(of=("self",)).filter(pk__in=ids)
                 .select_related("notice")}
    errors: dict[str, list[str]] = {}
    counts = {"create": 0, "merge": 0, "dismiss": 0}
    now = timezone.now()
    for decision in decisions:
        proposal = proposals.get(int(decision["id"]))
        action = decision.get("action") or "keep"
        key = f"p{decision['id']}"
        if proposal is None:
            errors[key] = ["Không tìm thấy chỉ tiêu đề xuất."]
            continue
        if action == "keep":
            continue
        if proposal.state != ProposalState.PENDING:
            errors[key] = ["Đề xuất này đã được xử lý trước đó."]
            continue
        source = (proposal.notice, proposal.path, proposal.sentence)
        try:
            with transaction.atomic():
                if action == "create":
                    year = decision.get("year", proposal.year)
                    value = decision.get("value", proposal.value)
                    targets = [(year, value, proposal.value_text)] if year else []
                    if year and value is None:
                        raise ServiceError("Hãy nhập giá trị số của mục tiêu.", field="value")
                    name = decision.get("name") or proposal.name
                    themes, fields = themes_for_text(name), technologies_for_text(name)
                    indicator = indicator_create(
                        actor=actor, name=name, theme=themes[0] if themes else None,
                        technology=fields[0] if fields else None,
                        unit=decision.get("unit", proposal.unit) or "",
                        kind=decision.get("kind") or proposal.kind,
                        direction=decision.get("direction") or proposal.direction,
                        agency_id=decision.get("agency_id", proposal.agency_id),
                        targets=targets, sources=[source])
                    proposal.state = ProposalState.CONFIRMED
                elif action == "merge":
                    indicator = Indicator.objects.filter(pk=decision.get("indicator_id")).first()
                    if indicator is None:
                        raise ServiceError("Hãy chọn chỉ tiêu có sẵn để gộp vào.", field="indicator_id")
                    IndicatorSource.objects.create(indicator=indicator, notice=proposal.notice, path=proposal.path,
                                                   sentence=proposal.sentence)
                    if proposal.year and proposal.value is not None and \
                            not indicator.targets.filter(year=proposal.year).exists():
                        IndicatorTarget.objects.create(indicator=indicator, year=proposal.year,
                                                       value=proposal.value, text=proposal.value_text[:300])
                        indicator_refresh(indicator)
                    proposal.state = ProposalState.MERGED
                elif action == "dismiss":
                    indicator = None
                    proposal.state = ProposalState.DISMISSED
                else:
                    raise ServiceError("Thao tác không hợp lệ.")
        except ServiceError as exc:
            errors[key] = [m for ms in exc.errors.values() for m in ms] or [exc.message]
            continue
        proposal.indicator, proposal.decided_by, proposal.decided_at = indicator, actor, now
        proposal.save()
        counts[action] += 1
    if errors:
        transaction.set_rollback(True)
        raise ServiceError(f"Chưa lưu: {len(errors)} đề xuất có lỗi, hãy sửa rồi lưu lại.", errors=errors)
    return counts


# --- scorecards ----------------------------------------------------------------------------------------------------

def _check_criteria(criteria: list[dict]) -> tuple[list[dict], list[str]]:
    clean, errors = [], []
    if not criteria:
        errors.append("Bộ tiêu chí cần ít nhất một tiêu chí.")
    for n, c in enumerate(criteria, 1):
        name = (c.get("name") or "").strip()
        weight = parse_number(c.get("weight"))
        rule = c.get("rule")
        if not name:
            errors.append(f"Tiêu chí {n}: chưa có tên.")
        if weight is None or weight <= 0:
            errors.append(f"Tiêu chí {n}: trọng số phải là số dương.")
        if rule not in CriterionRule.values:
            errors.append(f"Tiêu chí {n}: cách chấm không hợp lệ.")
        elif rule != CriterionRule.ASSESSOR and not (c.get("indicator_code") or "").strip():
            errors.append(f"Tiêu chí {n}: chấm theo giá trị chỉ tiêu cần mã chỉ tiêu.")
        elif rule == CriterionRule.THRESHOLD and not c.get("steps"):
            errors.append(f"Tiêu chí {n}: cần ít nhất một ngưỡng [giá trị, điểm].")
        elif rule == CriterionRule.LINEAR and (c.get("worst") is None or c.get("best") is None):
            errors.append(f"Tiêu chí {n}: cần mức kém nhất và mức tốt nhất.")
        clean.append({"name": name[:300], "weight": weight, "rule": rule,
                      "indicator_code": (c.get("indicator_code") or "").strip()[:60],
                      "steps": [[float(a), float(b)] for a, b in (c.get("steps") or [])],
                      "worst": parse_number(c.get("worst")), "best": parse_number(c.get("best")),
                      "lower_is_better": bool(c.get("lower_is_better"))})
    return clean, errors


def _write_criteria(version: FrameworkVersion, criteria: list[dict]) -> None:
    for position, c in enumerate(criteria):
        Criterion.objects.create(version=version, position=position, **c)


@acting
@transaction.atomic
def framework_create(*, actor, name: str, subject_kind: str, description: str = "", criteria: list[dict],
                     subject_ids=()) -> Framework:
    access.require(access.can_manage_indicators(actor), access.INDICATOR_OFFICE_ONLY)
    clean, errors = _check_criteria(criteria)
    if not (name or "").strip():
        errors.insert(0, "Hãy nhập tên bộ tiêu chí.")
    elif Framework.objects.filter(name=name.strip()).exists():
        errors.insert(0, "Đã có bộ tiêu chí cùng tên.")
    if errors:
        raise ServiceError(errors[0], errors={"criteria": errors})
    framework = Framework.objects.create(name=name.strip(), subject_kind=subject_kind, description=description)
    version = FrameworkVersion.objects.create(framework=framework, number=1, created_by=actor)
    _write_criteria(version, clean)
    for agency_id in subject_ids:
        ScorecardSubject.objects.get_or_create(framework=framework, agency_id=agency_id)
    return framework


@acting
@transaction.atomic
def framework_revise(*, actor, framework: Framework, criteria: list[dict], note: str = "") -> FrameworkVersion:
    """Change the criteria: in place while the current version was never used; otherwise as a new version (the
    results of the old one keep their meaning)."""
    access.require(access.can_manage_indicators(actor), access.INDICATOR_OFFICE_ONLY)
    clean, errors = _check_criteria(criteria)
    if errors:
        raise ServiceError(errors[0], errors={"criteria": errors})
    current = framework.versions.select_for_update().order_by("-number").first()
    if current.used or current.criteria.filter(scores__isnull=False).exists():
        current = FrameworkVersion.objects.create(framework=framework, number=current.number + 1, created_by=actor,
                                                  note=note)
    else:
        current.criteria.all().delete()
        current.note = note
        current.save(update_fields=["note"])
    _write_criteria(current, clean)
    return current


@acting
@transaction.atomic
def framework_subjects_set(*, actor, framework: Framework, agency_ids) -> int:
    """The organisations or provinces the framework is applied to (results of removed ones are kept, not shown)."""
    access.require(access.can_manage_indicators(actor), access.INDICATOR_OFFICE_ONLY)
    wanted = {int(i) for i in agency_ids}
    framework.subjects.exclude(agency_id__in=wanted).delete()
    for agency_id in wanted:
        ScorecardSubject.objects.get_or_create(framework=framework, agency_id=agency_id)
    return len(wanted)


@acting
@transaction.atomic
def score_enter(*, actor, criterion: Criterion, subject, year: int, score, evidence: str) -> AssessorScore:
    access.require(access.can_score(actor), "Chỉ Cơ quan Thường trực hoặc người đánh giá được chấm điểm.")
    errors: dict[str, list[str]] = {}
    if criterion.rule != CriterionRule.ASSESSOR:
        errors["criterion"] = ["Tiêu chí này được chấm từ giá trị chỉ tiêu, không chấm tay."]
    number = parse_number(score)
    if number is None or not 0 <= number <= 100:
        errors["score"] = ["Điểm phải là số từ 0 đến 100."]
    if not (evidence or "").strip():
        errors["evidence"] = ["Hãy ghi minh chứng cho điểm đánh giá."]
    if not criterion.version.framework.subjects.filter(agency=subject).exists():
        errors["subject"] = ["Đối tượng này không thuộc phạm vi của bộ tiêu chí."]
    if errors:
        raise ServiceError(next(iter(errors.values()))[0], errors=errors)
    row, _ = AssessorScore.objects.update_or_create(
        criterion=criterion, subject=subject, year=int(year),
        defaults={"score": number, "evidence": evidence.strip(), "assessor": actor, "assessed_at": timezone.now()})
    FrameworkVersion.objects.filter(pk=criterion.version_id, used=False).update(used=True)
    return row
