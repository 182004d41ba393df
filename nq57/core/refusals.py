"""The one Vietnamese refusal page (``403.html``) for every refusal a web page can meet: no permission (403), a
failed CSRF check, a method the address does not take (405). Each says why, in plain Vietnamese."""

from django.shortcuts import render

METHOD_NOT_ALLOWED = ("Địa chỉ này chỉ nhận dữ liệu gửi từ biểu mẫu, không mở trực tiếp được (phương thức {method} "
                      "không được chấp nhận). Hãy quay lại trang có biểu mẫu rồi gửi lại.")
CSRF_FAILED = ("Biểu mẫu đã hết hiệu lực (phiên làm việc hết hạn, trang mở quá lâu hoặc trình duyệt chặn cookie), nên "
               "yêu cầu chưa được thực hiện để bảo vệ tài khoản của bạn (kiểm tra CSRF).")


def refusal(request, message: str, *, status: int = 403, heading: str = "", back: str = "", back_label: str = "",
            note: str = ""):
    return render(request, "403.html", {
        "message": message, "heading": heading, "back_url": back, "back_label": back_label, "note": note,
    }, status=status)


def csrf_failure(request, reason: str = ""):
    """``CSRF_FAILURE_VIEW``: the refusal page saying what happened; a posted form's text is kept (``kept_form``) and
    a link leads back to the form's page, which fills it in again."""
    from nq57.core import kept_form

    back = note = ""
    if request.method == "POST":
        page = kept_form.form_page(request)
        if page is not None:
            kept = kept_form.keep_post(request, page=page)
            back = page
            note = ("Nội dung bạn đã nhập được giữ lại: mở lại biểu mẫu bằng liên kết dưới đây, kiểm tra rồi gửi lại."
                    + (" " + kept_form.FILES_NOTE if kept["files"] else ""))
    return refusal(request, CSRF_FAILED, heading="Phiên làm việc đã hết hạn, biểu mẫu chưa được gửi", back=back,
                   back_label="Quay lại biểu mẫu (nội dung đã nhập được giữ lại)", note=note)
