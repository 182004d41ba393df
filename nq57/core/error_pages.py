"""The 400 handler (``handler400``): a request body over the limit is a 413 — a Vietnamese page for the web, the
API's JSON error shape under /api/ — and any other refused request the Vietnamese 400 page."""

import json

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpResponse
from django.shortcuts import render
from django.views.defaults import bad_request as django_bad_request


def _json(status: int, code: str, message: str) -> HttpResponse:
    body = json.dumps({"code": code, "message": message, "errors": {}}, ensure_ascii=False)
    return HttpResponse(body, status=status, content_type="application/json; charset=utf-8")


def bad_request(request, exception=None):
    api = request.path.startswith("/api/")
    if isinstance(exception, RequestDataTooBig):
        limit = max(1, settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024))
        message = (f"Nội dung gửi lên quá lớn (tối đa {limit} MB, không kể tệp đính kèm). Hãy rút gọn nội dung "
                   "hoặc gửi thành nhiều lần.")
        if api:
            return _json(413, "too_large", message)
        return render(request, "413.html", {"message": message}, status=413)
    if isinstance(exception, TooManyFieldsSent | TooManyFilesSent):
        message = "Biểu mẫu gửi lên có quá nhiều trường hoặc quá nhiều tệp; hãy gửi thành nhiều lần."
        if api:
            return _json(400, "bad_request", message)
        return render(request, "413.html", {"message": message}, status=400)
    if api:
        return _json(400, "bad_request", "Yêu cầu không hợp lệ.")
    return django_bad_request(request, exception)
