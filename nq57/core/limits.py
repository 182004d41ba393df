"""Length limits of every free-text field, in one place: web forms (``text_field``), the API's pydantic schemas
(``Field(max_length=limits.X)``) and the services (``check``) all read these numbers, and say the same Vietnamese
message when a text is too long.

The numbers are generous for what each field holds (a progress report of several pages, a reason of a page) and
stop what no person types: a 160 KB "reason" pasted by mistake that made the task page 70,000 px tall."""

from django import forms

# characters
REPORT_TEXT = 20_000          # a progress report's text (about ten pages)
TASK_TEXT = 20_000            # a task's text (the longest tasks of the action programmes are ~3,000)
REASON = 5_000                # why an extension is asked for; why a sub-task's deadline is later
COMMENT = 5_000               # an assessment's comment, an extension decision's note
STATUS_REASON = 300           # the reason of a status change (one line in the timeline)
SUBTASK_REASON = 500          # why a sub-task is due after its parent
NOTE = 2_000                  # the office's note when verifying or rejecting a registration
SECTION = 500                 # Task.section, deadline_text, report_text (model CharFields of 500)
PERSON_NAME = 200             # User.full_name, contact names
ORGANISATION_NAME = 300       # Agency.name
ADDRESS = 500
LIST = 2_000                  # a list typed one item a line (agencies of a task, cited notices)
NOTICE_TEXT = 2_000_000       # a pasted notice (the 146-task action programme is ~250,000)

# how much of a long text pages show before "Xem thêm" (``{% collapsed %}``)
PREVIEW_CHARS = 600


def number(value: int) -> str:
    """20000 → "20.000" (Vietnamese thousands separator)."""
    return f"{value:,}".replace(",", ".")


def too_long_message(label: str, limit: int, length: int | None = None) -> str:
    told = f" (đã nhập {number(length)} ký tự)" if length is not None else ""
    label = label[:1].upper() + label[1:]
    return f"{label} tối đa {number(limit)} ký tự{told}; hãy rút gọn rồi gửi lại."


def problem(label: str, value: str | None, limit: int) -> str:
    """The message for ``value`` longer than ``limit``, else ""."""
    length = len(value or "")
    return too_long_message(label, limit, length) if length > limit else ""


def check(problems, field: str, label: str, value: str | None, limit: int) -> None:
    """Add the too-long message to a ``core.errors.Problems`` collector."""
    message = problem(label, value, limit)
    if message:
        problems.add(field, message)


class LimitedCharField(forms.CharField):
    """A CharField whose limit is said in Vietnamese with the length typed. The browser is not given ``maxlength``
    (it would silently cut a pasted text): the server refuses and the page keeps what was typed."""

    def __init__(self, *, limit: int, label: str, **kwargs):
        self.limit = limit
        messages = {"max_length": too_long_message(str(label), limit).replace("%", "%%").replace(
            "; hãy", " (đã nhập %(show_value)s ký tự); hãy")}
        messages.update(kwargs.pop("error_messages", {}) or {})
        super().__init__(label=label, max_length=limit, error_messages=messages, **kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        attrs["data-max-chars"] = str(self.limit)
        return attrs


def text_field(label: str, limit: int, *, required: bool = True, rows: int | None = None, required_message: str = "",
               **kwargs) -> forms.CharField:
    """A free-text form field with its limit (a textarea when ``rows`` is given)."""
    if rows:
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": rows}))
    if required_message:
        kwargs["error_messages"] = {"required": required_message, **kwargs.get("error_messages", {})}
    return LimitedCharField(label=label, limit=limit, required=required, **kwargs)
