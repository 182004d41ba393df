"""The REST API (django-ninja), mounted under /api/v1/. Schema: /api/v1/openapi.json; docs: /api/v1/docs."""

import logging
from pathlib import Path

import ninja
from django.apps import apps
from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils.module_loading import import_string
from ninja import NinjaAPI, Router
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError
from ninja.openapi.docs import Swagger

from nq57.api.http import (
    ApiError,
    BrowserSessionAuth,
    TokenAuth,
    TokenRateThrottle,
    error_body,
    json_response,
    ninja_http_error_message,
    refuse_nul,
    validation_errors,
)
from nq57.api.routes import me_router
from nq57.core.errors import ServiceError

log = logging.getLogger(__name__)

NINJA_STATIC = Path(ninja.__file__).parent / "static" / "ninja"
DOCS_ASSETS = {"swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-init.js", "favicon.png"}


class LocalSwagger(Swagger):
    """Swagger UI from files the app serves itself (django-ninja's bundled copies), never from a CDN."""

    def render_page(self, request: HttpRequest, api: "NinjaAPI", **kwargs) -> HttpResponse:
        import json

        self.settings["url"] = self.get_openapi_url(api, kwargs)
        return render(request, "api/swagger.html", {
            "swagger_settings": json.dumps(self.settings, indent=1), "api": api,
            "assets": self.settings["url"].rsplit("/", 1)[0] + "/docs/assets/",
        })


#: what any operation may answer besides its own responses: refused input, no or wrong credentials, no right, a
#: missing object, a wrong method, a body over the limit, a failed validation, too many requests
COMMON_ERRORS = {400: "Yêu cầu không đọc được", 401: "Chưa xác thực", 403: "Không có quyền",
                 404: "Không tìm thấy", 405: "Phương thức không được hỗ trợ", 413: "Nội dung quá lớn",
                 422: "Dữ liệu không hợp lệ", 429: "Quá nhiều yêu cầu"}
#: and a write besides: a conflict (version, state), a failed If-Match, a missing If-Match
WRITE_ERRORS = {409: "Xung đột (dữ liệu đã thay đổi)", 412: "If-Match không khớp", 428: "Thiếu If-Match"}
ERROR_SCHEMA = {"type": "object", "required": ["code", "message", "errors"], "properties": {
    "code": {"type": "string"}, "message": {"type": "string"},
    "errors": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}}}}


class Nq57API(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        """Every error status an operation can answer is declared, with the error shape (a contract test — the
        schemathesis run — checks each answer against this document)."""
        schema = super().get_openapi_schema(*args, **kwargs)
        for operations in schema.get("paths", {}).values():
            for method, operation in operations.items():
                if not isinstance(operation, dict) or "responses" not in operation:
                    continue
                errors = {**COMMON_ERRORS, **(WRITE_ERRORS if method.lower() in {"post", "put", "patch", "delete"}
                                              else {})}
                for status, description in errors.items():
                    operation["responses"].setdefault(str(status), operation["responses"].pop(status, None) or {
                        "description": description,
                        "content": {"application/json": {"schema": ERROR_SCHEMA}}})
        return schema

    def _get_urls(self):
        """Wrong HTTP method on a known path → 405 in the API's error shape (ninja answers plain text)."""
        patterns = super()._get_urls()
        for pattern in patterns:
            view = getattr(pattern, "callback", None)
            if view is None or getattr(view, "_nq57_wrapped", False):
                continue
            pattern.callback = _json_405(view)
        return patterns


def _json_405(view):
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            allowed = response.get("Allow", "")
            return json_response(error_body("method_not_allowed",
                                            f"Phương thức {request.method} không được hỗ trợ ở địa chỉ này "
                                            f"(chỉ nhận: {allowed}).", {}),
                                 status=405, headers={"Allow": allowed})
        return response

    wrapped.csrf_exempt = getattr(view, "csrf_exempt", False)
    wrapped._nq57_wrapped = True
    return wrapped


class _NoNulParser(ninja.parser.Parser):
    """JSON bodies as ninja reads them, minus NUL characters: PostgreSQL refuses them in text (a 500 otherwise)."""

    def parse_body(self, request):
        refuse_nul(request.body)
        return super().parse_body(request)


api = Nq57API(
    parser=_NoNulParser(),
    title="nq57 API",
    version="1",
    description=(
        "API của Hệ thống giám sát, đánh giá việc thực hiện Nghị quyết 57-NQ/TW.\n\n"
        "Xác thực bằng mã truy cập cá nhân (tạo tại /api-tokens/): `Authorization: Bearer nq57_…`. "
        "Mã truy cập có đúng quyền của người tạo. Lỗi luôn có dạng `{\"code\", \"message\", \"errors\"}`. "
        "Sửa nhiệm vụ cần `If-Match`; POST nhận `Idempotency-Key`. Xem docs/api.md."
    ),
    urls_namespace="api",
    auth=[TokenAuth(), BrowserSessionAuth()],
    throttle=[TokenRateThrottle()],
    docs=LocalSwagger(settings={"persistAuthorization": True}),
)


# --- errors: one shape for every failure -------------------------------------------------------------------------

@api.exception_handler(ServiceError)
def _service_error(request, exc: ServiceError):
    return json_response(error_body(exc.code, exc.message, exc.errors), status=exc.status)


@api.exception_handler(ApiError)
def _api_error(request, exc: ApiError):
    headers = dict(exc.headers)
    if exc.status == 401:
        headers.setdefault("WWW-Authenticate", 'Bearer realm="nq57"')
    return json_response(error_body(exc.code, exc.message, exc.errors), status=exc.status, headers=headers)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return json_response(error_body("not_found", "Không tìm thấy đối tượng được yêu cầu."), status=404)


@api.exception_handler(ValidationError)
def _validation_error(request, exc: ValidationError):
    errors = validation_errors(exc.errors)
    if list(errors) == ["__all__"] and any(e.get("type") == "json_invalid" for e in exc.errors):
        return json_response(error_body("bad_request", "Nội dung yêu cầu không phải JSON hợp lệ.", errors),
                             status=400)
    return json_response(error_body("invalid", "Dữ liệu gửi lên không hợp lệ.", errors), status=422)


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    code, message = ninja_http_error_message(exc)
    headers = {}
    if isinstance(exc, AuthenticationError) or exc.status_code == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="nq57"'
    if isinstance(exc, Throttled) and exc.wait:
        message = f"Bạn gửi quá nhiều yêu cầu. Vui lòng thử lại sau {int(exc.wait) + 1} giây."
    return json_response(error_body(code, message), status=exc.status_code, headers=headers)


@api.exception_handler(RequestDataTooBig)
def _too_big(request, exc):
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)
    return json_response(error_body("too_large", f"Nội dung yêu cầu quá lớn (tối đa {limit} MB)."), status=413)


@api.exception_handler(MultiPartParserError)
def _bad_multipart(request, exc):
    return json_response(error_body("bad_request", "Biểu mẫu nhiều phần (multipart) sai định dạng: thiếu hoặc sai "
                                                   "boundary."), status=400)


@api.exception_handler(Exception)
def _unexpected(request, exc: Exception):
    log.exception("API error on %s %s", request.method, request.path)
    return json_response(error_body("server_error", "Lỗi hệ thống. Vui lòng thử lại sau hoặc báo quản trị viên."),
                         status=500)


# --- routes ------------------------------------------------------------------------------------------------------

def app_routers() -> list[Router]:
    """The router of every installed app that declares one (``api_router = "nq57.<app>.api.router"`` on its
    ``AppConfig``), in ``INSTALLED_APPS`` order: a new app adds its operations without editing this module."""
    return [import_string(config.api_router) for config in apps.get_app_configs()
            if getattr(config, "api_router", None)]


api.add_router("/", me_router)
for app_router in app_routers():
    api.add_router("/", app_router)


@api.get("/docs/assets/{name}", auth=None, throttle=[], include_in_schema=False)
def docs_asset(request, name: str):
    if name not in DOCS_ASSETS:
        raise Http404
    response = FileResponse((NINJA_STATIC / name).open("rb"))
    response["Cache-Control"] = "public, max-age=86400"
    return response


fallback = Router()


@fallback.api_operation(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"], "/{path:rest}", auth=None,
                        throttle=[], include_in_schema=False)
def unknown_path(request, rest: str):
    raise Http404


api.add_router("/", fallback)  # last: any other path under /api/v1/ is a 404 in the error shape
