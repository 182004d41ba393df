"""The API's plumbing: authentication, rate limit, error bodies, pagination, ETag/If-Match and idempotency keys."""

import base64
import datetime as dt
import hashlib
import json
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.core.serializers.json import DjangoJSONEncoder
from django.core.signals import setting_changed
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.http import HttpRequest, HttpResponse
from ninja.errors import HttpError
from ninja.security import HttpBearer, SessionAuth
from ninja.throttling import BaseThrottle
from pydantic import BaseModel

from nq57.api.models import IdempotencyRecord
from nq57.api.services import TokenRejected, token_authenticate
from nq57.core import limits
from nq57.core.errors import ServiceError

MAX_PAGE_SIZE = 200
DEFAULT_PAGE_SIZE = 50


class ApiError(Exception):
    """An error the API answers with ``{"code", "message", "errors"}`` and ``status``."""

    def __init__(self, status: int, code: str, message: str, errors: dict | None = None, headers: dict | None = None):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.errors = errors or {}
        self.headers = headers or {}


def error_body(code: str, message: str, errors: dict | None = None) -> dict:
    return {"code": code, "message": message, "errors": errors or {}}


def json_response(data: Any, *, status: int = 200, headers: dict | None = None) -> HttpResponse:
    response = HttpResponse(json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False), status=status,
                            content_type="application/json; charset=utf-8")
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def schema_response(schema: type[BaseModel], data: Any, *, status: int = 200) -> HttpResponse:
    """``data`` validated against its declared ``schema`` and written by pydantic-core: for big list pages, where
    ninja's own path (validate, dump to Python, ``json.dumps``) costs twice as much. Same JSON text as ninja's."""
    return HttpResponse(schema.model_validate(data).model_dump_json(), status=status,
                        content_type="application/json; charset=utf-8")


# --- authentication ----------------------------------------------------------------------------------------------

class TokenAuth(HttpBearer):
    """``Authorization: Bearer nq57_…``: the token's owner, with their memberships."""

    def authenticate(self, request: HttpRequest, token: str):
        try:
            api_token = token_authenticate(token)
        except TokenRejected as exc:
            raise ApiError(401, "unauthorized", exc.message) from exc
        request.user = api_token.user
        request.api_token = api_token
        _require_staff_side(api_token.user)
        return api_token.user


class BrowserSessionAuth(SessionAuth):
    """The signed-in browser session; unsafe methods need the CSRF token (``X-CSRFToken``)."""

    def authenticate(self, request: HttpRequest, key):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_active:
            _require_staff_side(user)
            return user
        return None


API_STAFF_ONLY = "API dành cho cán bộ các cơ quan tham gia theo dõi nhiệm vụ; tài khoản này không có vai trò đó."


def _require_staff_side(user) -> None:
    """The API serves the internal data: a citizen (or an account that lost its roles) gets the JSON 403."""
    from nq57.core import access

    access.require(access.can_view(user), API_STAFF_ONLY)


# --- rate limit --------------------------------------------------------------------------------------------------

#: a process adds its requests to the shared counter in batches: after this many, or this many seconds, or at once
#: when the window is past half the limit (so the limit itself is enforced exactly by each process)
RATE_FLUSH_EVERY = 20
RATE_FLUSH_SECONDS = 1.0


class _RateWindow:
    __slots__ = ("key", "shared", "pending", "flushed_at")

    def __init__(self, key: str):
        self.key, self.shared, self.pending, self.flushed_at = key, 0, 0, -1e9


_rate_windows: dict[str, _RateWindow] = {}


def rate_limit_reset() -> None:
    """Forget this process's not-yet-shared counts (tests; a change of ``API_RATE_LIMIT_PER_MINUTE``)."""
    _rate_windows.clear()


class TokenRateThrottle(BaseThrottle):
    """A fixed one-minute window per user (all of their tokens together; anonymous: per address), counted in the
    shared ``api`` cache.

    The shared cache (files without Redis) costs more than the rest of a small request, so each process counts
    locally and adds its count to the shared one every ``RATE_FLUSH_EVERY`` requests or ``RATE_FLUSH_SECONDS``
    seconds, and on every request once the window is past half the limit. The other processes' last few requests
    may thus be seen late (at most ``RATE_FLUSH_EVERY - 1`` each, for at most ``RATE_FLUSH_SECONDS`` s).
    """

    def allow_request(self, request: HttpRequest) -> bool:
        limit = settings.API_RATE_LIMIT_PER_MINUTE
        if not limit:
            return True
        token = getattr(request, "api_token", None)
        if token is not None:
            ident = f"u{token.user_id}"  # per person: several tokens share one limit
        elif getattr(request, "auth", None) is not None:
            ident = f"u{request.auth.pk}"
        else:
            ident = "ip" + (request.META.get("REMOTE_ADDR") or "")
        key = f"api-rate:{ident}:{int(time.time() // 60)}"
        window = _rate_windows.get(ident)
        if window is None or window.key != key:
            if len(_rate_windows) >= 10000:
                _rate_windows.clear()
            window = _rate_windows[ident] = _RateWindow(key)
        window.pending += 1
        now = time.monotonic()
        if (window.shared + window.pending > limit // 2 or window.pending >= RATE_FLUSH_EVERY
                or now - window.flushed_at >= RATE_FLUSH_SECONDS):
            window.shared = self._add(key, window.pending)
            window.pending, window.flushed_at = 0, now
        return window.shared + window.pending <= limit

    @staticmethod
    def _add(key: str, delta: int) -> int:
        cache = caches["api"] if "api" in settings.CACHES else caches["default"]
        cache.add(key, 0, timeout=70)
        try:
            return cache.incr(key, delta)
        except ValueError:  # expired between add and incr
            cache.set(key, delta, timeout=70)
            return delta

    def wait(self) -> float:
        return max(1.0, 60 - time.time() % 60)


# --- validation errors -------------------------------------------------------------------------------------------

_PYDANTIC_MESSAGES = {
    "missing": "Trường này là bắt buộc.",
    "json_invalid": "Nội dung JSON không hợp lệ.",
    "json_type": "Nội dung phải là JSON.",
    "model_attributes_type": "Nội dung phải là một đối tượng JSON.",
    "dict_type": "Phải là một đối tượng JSON.",
    "list_type": "Phải là một danh sách.",
    "int_parsing": "Phải là số nguyên.",
    "int_type": "Phải là số nguyên.",
    "int_from_float": "Phải là số nguyên.",
    "float_parsing": "Phải là số.",
    "bool_parsing": "Phải là true hoặc false.",
    "bool_type": "Phải là true hoặc false.",
    "string_type": "Phải là chuỗi ký tự.",
    "string_too_long": "Quá dài.",
    "string_too_short": "Không được để trống.",
    "date_parsing": "Ngày không hợp lệ (định dạng YYYY-MM-DD).",
    "date_from_datetime_parsing": "Ngày không hợp lệ (định dạng YYYY-MM-DD).",
    "date_from_datetime_inexact": "Ngày không được kèm giờ.",
    "date_type": "Ngày không hợp lệ (định dạng YYYY-MM-DD).",
    "datetime_parsing": "Thời điểm không hợp lệ (định dạng ISO 8601).",
    "datetime_from_date_parsing": "Thời điểm không hợp lệ (định dạng ISO 8601).",
    "literal_error": "Giá trị không nằm trong danh sách cho phép.",
    "enum": "Giá trị không nằm trong danh sách cho phép.",
    "greater_than_equal": "Giá trị quá nhỏ.",
    "less_than_equal": "Giá trị quá lớn.",
    "greater_than": "Giá trị quá nhỏ.",
    "less_than": "Giá trị quá lớn.",
    "too_long": "Danh sách quá dài.",
    "extra_forbidden": "Trường không được hỗ trợ.",
    "value_error": "Giá trị không hợp lệ.",
    "int_parsing_size": "Số quá lớn.",
    "uuid_parsing": "Mã không hợp lệ.",
    "url_parsing": "Địa chỉ không hợp lệ.",
    "url_scheme": "Địa chỉ phải bắt đầu bằng http:// hoặc https://.",
}
_LOCATIONS = {"body", "query", "path", "header", "cookie", "form", "file", "payload", "filters"}


def validation_errors(raw_errors: list[dict]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for item in raw_errors:
        loc = [str(part) for part in item.get("loc", ())]
        while loc and loc[0] in _LOCATIONS:
            loc = loc[1:]
        field = ".".join(loc) or "__all__"
        kind = item.get("type", "")
        message = _PYDANTIC_MESSAGES.get(kind)
        if message is None:
            ctx_error = (item.get("ctx") or {}).get("error")
            message = str(ctx_error) if isinstance(ctx_error, ServiceError) else "Giá trị không hợp lệ."
        if kind == "string_too_long" and (item.get("ctx") or {}).get("max_length") is not None:
            message = limits.too_long_message("Nội dung", int(item["ctx"]["max_length"]),
                                              len(item["input"]) if isinstance(item.get("input"), str) else None)
        if kind in {"greater_than_equal", "less_than_equal", "greater_than", "less_than"} and item.get("ctx"):
            limit = next(iter(item["ctx"].values()))
            message = f"{message.rstrip('.')} (giới hạn: {limit})."
        errors.setdefault(field, [])
        if message not in errors[field]:
            errors[field].append(message)
    return errors


# --- pagination --------------------------------------------------------------------------------------------------

def _encode_cursor(last_id: int) -> str:
    return base64.urlsafe_b64encode(f"id:{last_id}".encode()).decode().rstrip("=")


def _cursor_value(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()  # to the microsecond (DjangoJSONEncoder keeps milliseconds only)
    raise TypeError(type(value).__name__)


def _encode_key_cursor(values: list) -> str:
    text = "k:" + json.dumps(values, default=_cursor_value, ensure_ascii=False, separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _decode_cursor(cursor: str, *, keys: int = 1) -> list:
    """The sort values of the last row a cursor points after (``[id]`` for lists in id order)."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        kind, _, value = base64.urlsafe_b64decode(padded.encode()).decode().partition(":")
        if kind == "id" and keys == 1:
            return [int(value)]
        if kind != "k":
            raise ValueError
        values = json.loads(value)
        if not isinstance(values, list) or len(values) != keys or not isinstance(values[-1], int):
            raise ValueError
        return values
    except (ValueError, UnicodeDecodeError) as exc:
        raise ApiError(422, "invalid", "Dữ liệu gửi lên không hợp lệ.",
                       {"cursor": ["Con trỏ phân trang không hợp lệ; hãy dùng giá trị next_cursor đã nhận."]}) from exc


def _order_keys(order: tuple[str, ...]) -> list[tuple[str, bool]]:
    return [(name.lstrip("-"), name.startswith("-")) for name in order]


def keyset_after(order: tuple[str, ...], values: list) -> Q:
    """Rows after ``values`` in ``order`` (names, ``-`` for descending; the last one unique, e.g. ``id``), with
    NULLs last in either direction: ``(a > x) OR (a = x AND b > y) OR ...``, each column usable by an index."""
    condition, equal = Q(pk__in=[]), Q()
    for (name, descending), value in zip(_order_keys(order), values, strict=True):
        if value is None:  # NULLs come last: after a NULL only more NULLs, ordered by the next keys
            step, same = Q(pk__in=[]), Q(**{f"{name}__isnull": True})
        else:
            step = Q(**{f"{name}__{'lt' if descending else 'gt'}": value}) | Q(**{f"{name}__isnull": True})
            same = Q(**{name: value})
        condition |= equal & step
        equal &= same
    return condition


def order_expressions(order: tuple[str, ...]) -> list:
    return [F(name).desc(nulls_last=True) if descending else F(name).asc(nulls_last=True)
            for name, descending in _order_keys(order)]


def page_count(start: int, rows: list, more: bool, count: Callable[[], int]) -> int:
    """The list's count: read off the page when the page shows where the list ends (its last page, not empty
    unless it is the first: ``start`` + its rows, exact), else ``count()``, a query. A short list (a task's
    reports) is then answered without counting; a long one is counted on every request, as before."""
    if not more and (rows or start == 0):
        return start + len(rows)
    return count()


def paginate(queryset, *, page: int | None, page_size: int | None, cursor: str | None,
             serialize: Callable[[list], list], columns: tuple[str, ...] | None = None,
             order: tuple[str, ...] = ("id",), count: Callable[[], int] | None = None,
             first_rows: Callable[[int], list] | None = None) -> dict:
    """``?page=N`` (with ``count``) or ``?cursor=…`` (keyset, no count); ``page_size`` up to 200.

    Lists are ordered by ``order`` (default ``id``; names with ``-`` descending, NULLs last, the last name unique)
    and both modes see the same order, so a cursor never skips or repeats a row: it carries the last row's sort
    values and the next page starts right after them through the sort's index. With ``columns`` the rows handed to
    ``serialize`` are tuples of those columns (the first one ``id``) instead of model instances. The count is
    computed on every request (``?page=`` only): read off the page when it is the list's last (``page_count``),
    else by ``count`` when the caller has a cheaper exact way (the task filter's index count); whether there is a
    next page is decided by fetching one row more than the page, never from the count. ``first_rows(limit)``, when
    given, answers the first page's rows (model instances, the first ``limit`` of ``queryset`` in ``order``) from a
    query compiled once (``core.compiled``): the page most calls ask for.
    """
    size = page_size or DEFAULT_PAGE_SIZE
    if not 1 <= size <= MAX_PAGE_SIZE:
        raise ApiError(422, "invalid", "Dữ liệu gửi lên không hợp lệ.",
                       {"page_size": [f"Số dòng mỗi trang từ 1 đến {MAX_PAGE_SIZE}."]})
    order = tuple(order)
    by_id = order == ("id",)
    names = [name for name, _ in _order_keys(order)]
    ordered = queryset.order_by("id") if by_id else queryset.order_by(*order_expressions(order))

    def fetch(window) -> tuple[list, list | None]:
        """The page's rows, and the sort values of its last row."""
        if columns:
            # the page's ids (and sort values) first (filters, offset), then the columns for those rows only
            manager = queryset.model._default_manager
            if by_id:  # one query: the page's ids as a subquery
                rows = list(manager.filter(id__in=window.values("id")).order_by("id").values_list(*columns))
                return rows, [(row[0],) for row in rows]
            keys = list(window.values_list(*names))
            found = {row[0]: row for row in manager.filter(id__in=[k[-1] for k in keys]).values_list(*columns)}
            rows = [found[k[-1]] for k in keys if k[-1] in found]
        else:
            rows = list(window)
            keys = [tuple(getattr(row, name) for name in names) for row in rows]
        return rows, keys

    def next_cursor(keys: list, more: bool) -> str | None:
        if not (more and keys):
            return None
        last = keys[-1]
        return _encode_cursor(last[0]) if by_id else _encode_key_cursor(list(last))

    if cursor:
        after = _decode_cursor(cursor, keys=len(order))
        window = ordered.filter(id__gt=after[0]) if by_id else ordered.filter(keyset_after(order, after))
        rows, keys = fetch(window[: size + 1])
        more = len(rows) > size
        return {"count": None, "page": None, "page_size": size,
                "next_cursor": next_cursor(keys[:size], more), "results": serialize(rows[:size])}
    number = page or 1
    if number < 1 or number > 10**6:
        raise ApiError(422, "invalid", "Dữ liệu gửi lên không hợp lệ.", {"page": ["Số trang không hợp lệ."]})
    start = (number - 1) * size
    if first_rows is not None and start == 0 and not columns:
        rows = first_rows(size + 1)
        keys = [tuple(getattr(row, name) for name in names) for row in rows]
    else:
        rows, keys = fetch(ordered[start:start + size + 1])
    more = len(rows) > size
    return {"count": page_count(start, rows, more, count or queryset.order_by().count), "page": number,
            "page_size": size,
            "next_cursor": next_cursor(keys[:size], more), "results": serialize(rows[:size])}


# --- ETag / If-Match ---------------------------------------------------------------------------------------------

def task_etag(task) -> str:
    return f'"task-{task.pk}-v{task.version}"'


def expected_version_from(request: HttpRequest, task) -> int:
    """The task version the client last read, from ``If-Match``; 428 when absent, 412 when stale."""
    header = request.headers.get("If-Match", "").strip()
    if not header:
        raise ApiError(428, "precondition_required",
                       "Thiếu tiêu đề If-Match: hãy đọc nhiệm vụ trước (GET) và gửi lại giá trị ETag nhận được, "
                       "để không ghi đè thay đổi của người khác.")
    candidates = [part.strip().removeprefix("W/") for part in header.split(",")]
    current = task_etag(task)
    if current in candidates or candidates == ["*"]:  # RFC 9110: "*" matches any current representation
        return task.version
    raise ApiError(412, "precondition_failed",
                   "Nhiệm vụ đã được người khác cập nhật sau lần bạn đọc (ETag không còn đúng). "
                   "Hãy tải lại nhiệm vụ, xem thay đổi rồi gửi lại.",
                   headers={"ETag": current})


def content_etag(prefix: str, pk: int, data: dict) -> str:
    """A strong ETag for a record with no version counter: a digest of the answer it is read as."""
    text = json.dumps(data, cls=DjangoJSONEncoder, sort_keys=True, ensure_ascii=False)
    return f'"{prefix}-{pk}-{hashlib.sha256(text.encode()).hexdigest()[:20]}"'


def etag_candidates(request: HttpRequest, header: str) -> list[str]:
    return [part.strip().removeprefix("W/") for part in request.headers.get(header, "").split(",") if part.strip()]


def not_modified(request: HttpRequest, etag: str) -> HttpResponse | None:
    """A 304 (with the ETag) when ``If-None-Match`` names the current ETag; None otherwise."""
    if etag in etag_candidates(request, "If-None-Match"):
        response = HttpResponse(status=304)
        response["ETag"] = etag
        return response
    return None


def require_if_match(request: HttpRequest, etag: str) -> None:
    """When ``If-Match`` is sent, it must name the current ETag (or be "*"): 412 otherwise."""
    candidates = etag_candidates(request, "If-Match")
    if candidates and etag not in candidates and candidates != ["*"]:
        raise ApiError(412, "precondition_failed",
                       "Nội dung đã được cập nhật sau lần bạn đọc (ETag không còn đúng). "
                       "Hãy tải lại, xem thay đổi rồi gửi lại.", headers={"ETag": etag})


# --- idempotency keys --------------------------------------------------------------------------------------------

def _fingerprint(request: HttpRequest) -> str:
    digest = hashlib.sha256(f"{request.method} {request.path}\n".encode())
    content_type = request.META.get("CONTENT_TYPE", "")
    if content_type.startswith("multipart/form-data"):
        for name in sorted(request.POST):
            for value in request.POST.getlist(name):
                digest.update(f"{name}={value}\n".encode())
        for name in sorted(request.FILES):
            for upload in request.FILES.getlist(name):
                upload.seek(0)
                digest.update(f"{name}:{upload.name}:{upload.size}:".encode())
                digest.update(hashlib.sha256(upload.read()).digest())
                upload.seek(0)
    else:
        digest.update(request.body)
    return digest.hexdigest()


def declared(data: BaseModel) -> dict:
    """The JSON-ready data of a response already validated by its declared schema (``Schema.model_validate``);
    anything else is a programming error: every API answer has a declared shape."""
    if not isinstance(data, BaseModel):
        raise TypeError(f"API answers are declared schemas, not {type(data).__name__}")
    return data.model_dump()


def idempotent(request: HttpRequest, perform: Callable[[], tuple[int, BaseModel, dict]]) -> HttpResponse:
    """Run ``perform`` (returns status, the answer as a validated schema object, headers) in one transaction,
    remembering a 2xx answer per user and ``Idempotency-Key``: a retry gets the stored answer; the key with another
    body gets 422."""
    key = request.headers.get("Idempotency-Key", "").strip()
    if not key:
        with transaction.atomic():
            status, data, headers = perform()
        return json_response(declared(data), status=status, headers=headers)
    if len(key) > 255:
        raise ApiError(422, "invalid", "Dữ liệu gửi lên không hợp lệ.",
                       {"Idempotency-Key": ["Khóa chống gửi lặp tối đa 255 ký tự."]})
    fingerprint = _fingerprint(request)
    user = request.auth

    def replay(record: IdempotencyRecord) -> HttpResponse:
        if record.fingerprint != fingerprint:
            raise ApiError(422, "idempotency_key_reused",
                           "Khóa Idempotency-Key này đã được dùng cho một yêu cầu khác (nội dung hoặc địa chỉ khác). "
                           "Hãy dùng khóa mới cho mỗi yêu cầu mới.")
        response = HttpResponse(record.response_body, status=record.status_code,
                                content_type="application/json; charset=utf-8")
        for name, value in record.response_headers.items():
            response[name] = value
        response["Idempotent-Replayed"] = "true"
        return response

    existing = IdempotencyRecord.objects.filter(user=user, key=key).first()
    if existing is not None:
        return replay(existing)
    try:
        with transaction.atomic():
            status, data, headers = perform()
            body = json.dumps(declared(data), cls=DjangoJSONEncoder, ensure_ascii=False)
            if 200 <= status < 300:
                IdempotencyRecord.objects.create(user=user, key=key, method=request.method, path=request.path[:500],
                                                 fingerprint=fingerprint, status_code=status, response_body=body,
                                                 response_headers=headers)
    except IntegrityError:
        # a concurrent request with the same key committed first: our write was rolled back; answer as it did
        existing = IdempotencyRecord.objects.filter(user=user, key=key).first()
        if existing is None:
            raise
        return replay(existing)
    response = HttpResponse(body, status=status, content_type="application/json; charset=utf-8")
    for name, value in headers.items():
        response[name] = value
    return response


NUL_MESSAGE = "Nội dung gửi lên chứa ký tự NUL (\\u0000), không được chấp nhận."


def refuse_nul(body: bytes) -> None:
    """A body with a NUL character (raw or escaped) is a 400: PostgreSQL refuses NUL in text (a 500 otherwise)."""
    if b"\\u0000" in body or b"\x00" in body:
        raise ApiError(400, "bad_request", NUL_MESSAGE)


def parse_json_body(request: HttpRequest) -> Any:
    refuse_nul(request.body or b"")
    try:
        return json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError) as exc:
        raise ApiError(400, "bad_request", "Nội dung yêu cầu không phải JSON hợp lệ.") from exc


def ninja_http_error_message(exc: HttpError) -> tuple[str, str]:
    status = exc.status_code
    if status == 400:
        return "bad_request", "Nội dung yêu cầu không đọc được (JSON hoặc biểu mẫu sai định dạng)."
    if status == 401:
        return "unauthorized", ("Bạn cần đăng nhập hoặc gửi mã truy cập API "
                                "(tiêu đề Authorization: Bearer <mã>).")
    if status == 403:
        if "CSRF" in str(exc):
            return "csrf_failed", "Thiếu hoặc sai mã CSRF (tiêu đề X-CSRFToken) cho phiên đăng nhập trình duyệt."
        return "forbidden", "Bạn không có quyền thực hiện thao tác này."
    if status == 429:
        return "rate_limited", "Bạn gửi quá nhiều yêu cầu. Vui lòng chờ rồi thử lại."
    return "error", str(exc)


def _settings_changed(*, setting: str, **kwargs) -> None:
    if setting in {"API_RATE_LIMIT_PER_MINUTE", "CACHES"}:
        rate_limit_reset()


setting_changed.connect(_settings_changed)
