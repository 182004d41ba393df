"""Upload checks shared by every form and API that takes a file: size, extension and the file's real type.

Each kind of upload is described ONCE here (``UploadKind``: extensions with their MIME type and leading bytes, the
size limit, how many files): the form's help text, the ``accept=`` attribute of its file input and the refusal
message all read the same constant, so what the page promises is what the check accepts."""

import contextlib
import contextvars
import logging
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import PurePath

from django import forms
from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.template.defaultfilters import filesizeformat

from nq57.core.errors import ServiceError

PK = (b"PK\x03\x04",)
OLE = (b"\xd0\xcf\x11\xe0",)


@dataclass(frozen=True)
class FileType:
    mime: str
    signatures: tuple[bytes, ...] | None  # accepted leading bytes; None: plain text, checked for NUL bytes instead


@dataclass(frozen=True)
class UploadKind:
    """One kind of upload: which files, how large, how many. ``types`` maps an extension (".pdf") to its type."""

    label: str
    types: dict[str, FileType]
    max_bytes: int | Callable[[], int]
    max_files: int = 1
    field: str = "file"
    note: str = ""

    @property
    def extensions(self) -> list[str]:
        return list(self.types)

    @property
    def mime_types(self) -> list[str]:
        return list(dict.fromkeys(t.mime for t in self.types.values()))

    @property
    def limit(self) -> int:
        return self.max_bytes() if callable(self.max_bytes) else self.max_bytes

    @property
    def accept(self) -> str:
        """The file input's ``accept=`` attribute: every extension and MIME type the check takes."""
        return ",".join([*self.extensions, *self.mime_types])

    @property
    def types_text(self) -> str:
        """"pdf, docx, txt": the accepted types as the help text and the refusal both print them."""
        return ", ".join(ext.lstrip(".") for ext in self.extensions)

    @property
    def help_text(self) -> str:
        text = f"Nhận tệp {self.types_text}; mỗi tệp tối đa {filesizeformat(self.limit)}"
        if self.max_files > 1:
            text += f"; tối đa {self.max_files} tệp"
        return text + (f". {self.note}" if self.note else ".")

    def signatures(self) -> dict[str, tuple[bytes, ...] | None]:
        return {ext: t.signatures for ext, t in self.types.items()}


def _attachment_limit() -> int:
    return settings.ATTACHMENT_MAX_BYTES


# Progress report attachments (web form and API).
ATTACHMENT = UploadKind(
    label="tệp đính kèm",
    types={
        ".pdf": FileType("application/pdf", (b"%PDF-",)),
        ".doc": FileType("application/msword", OLE),
        ".docx": FileType("application/vnd.openxmlformats-officedocument.wordprocessingml.document", PK),
        ".xls": FileType("application/vnd.ms-excel", OLE),
        ".xlsx": FileType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", PK),
        ".pptx": FileType("application/vnd.openxmlformats-officedocument.presentationml.presentation", PK),
        ".odt": FileType("application/vnd.oasis.opendocument.text", PK),
        ".ods": FileType("application/vnd.oasis.opendocument.spreadsheet", PK),
        ".png": FileType("image/png", (b"\x89PNG\r\n\x1a\n",)),
        ".jpg": FileType("image/jpeg", (b"\xff\xd8\xff",)),
        ".jpeg": FileType("image/jpeg", (b"\xff\xd8\xff",)),
        ".zip": FileType("application/zip", PK),
        ".txt": FileType("text/plain", None),
        ".csv": FileType("text/csv", None),
    },
    max_bytes=_attachment_limit,
    max_files=10,
    field="attachments",
)

# A notice to import. The readers of nq57.extraction decide whether a .txt/.html is really text (UTF-8, UTF-16,
# Windows-1258), so those only go through the size, extension and executable checks; .pdf and .docx must start
# with their signature.
NOTICE_DOCUMENT = UploadKind(
    label="tệp thông báo",
    types={
        ".txt": FileType("text/plain", (b"",)),
        ".docx": FileType("application/vnd.openxmlformats-officedocument.wordprocessingml.document", PK),
        ".pdf": FileType("application/pdf", (b"%PDF-",)),
        ".html": FileType("text/html", (b"",)),
        ".htm": FileType("text/html", (b"",)),
    },
    max_bytes=20 * 1024 * 1024,
    field="upload",
    note="Tệp PDF cần có lớp chữ (không phải ảnh chụp).",
)

# The exchange file of the Resolution 71 system (nq57-exchange JSON).
EXCHANGE_JSON = UploadKind(
    label="tệp trao đổi",
    types={".json": FileType("application/json", None)},
    max_bytes=_attachment_limit,
)

# A task list as an Excel workbook.
EXCHANGE_EXCEL = UploadKind(
    label="tệp bảng tính",
    types={".xlsx": FileType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", PK)},
    max_bytes=_attachment_limit,
)

# extension -> accepted leading bytes (kept for callers that pass ``allowed=``)
DOCUMENT_SIGNATURES: dict[str, tuple[bytes, ...] | None] = ATTACHMENT.signatures()
EXECUTABLE_SIGNATURES = (b"MZ", b"\x7fELF", b"#!", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe")

NOT_KEPT = ("Tệp “{name}” không được nhận nên không được giữ lại; hãy chọn lại tệp phù hợp nếu cần.")
LOST_ON_RELOAD = ("Tệp “{name}” chưa được gửi đi: trình duyệt không giữ lại tệp đã chọn khi trang tải lại; "
                  "hãy chọn lại tệp này trước khi gửi.")


def check_upload(
    uploaded, kind: UploadKind | None = None, *, max_bytes: int | None = None,
    allowed: dict[str, tuple[bytes, ...] | None] | None = None, field: str | None = None,
) -> None:
    """Raise ServiceError (in Vietnamese) unless the file is of the kind's types, within its size limit, non-empty.

    ``allowed``/``max_bytes`` describe an ad-hoc kind (older callers); prefer passing one of the constants above."""
    problem = upload_problem(uploaded, kind, max_bytes=max_bytes, allowed=allowed)
    if problem:
        kind = kind or ATTACHMENT
        raise ServiceError(problem, field=field or kind.field)


def upload_problem(
    uploaded, kind: UploadKind | None = None, *, max_bytes: int | None = None,
    allowed: dict[str, tuple[bytes, ...] | None] | None = None,
) -> str:
    """The Vietnamese reason ``uploaded`` is refused, or "" when it is accepted."""
    kind = kind or ATTACHMENT
    signatures = kind.signatures() if allowed is None else allowed
    limit = kind.limit if max_bytes is None else max_bytes
    name = PurePath(uploaded.name or "").name
    extension = PurePath(name).suffix.lower()
    if uploaded.size is None or uploaded.size == 0:
        return f"Tệp “{name}” rỗng."
    if uploaded.size > limit:
        return f"Tệp “{name}” có dung lượng {filesizeformat(uploaded.size)}, vượt quá giới hạn {filesizeformat(limit)}."
    if extension not in signatures:
        kinds = kind.types_text if allowed is None else ", ".join(ext.lstrip(".") for ext in signatures)
        return f"Không chấp nhận tệp “{name}”: chỉ nhận các định dạng {kinds}."
    head = _peek(uploaded, 8192)
    if head.startswith(EXECUTABLE_SIGNATURES):
        return f"Tệp “{name}” là tệp chương trình, không được phép tải lên."
    expected = signatures[extension]
    if expected is None:
        if b"\x00" in head:
            return f"Tệp “{name}” không phải tệp văn bản."
    elif not head.startswith(expected):
        return f"Nội dung tệp “{name}” không đúng định dạng {extension.lstrip('.')} như phần mở rộng của tên tệp."
    return ""


def upload_problems(files: Iterable, kind: UploadKind) -> list[str]:
    """Every problem of a list of files at once: too many, and each refused file's reason."""
    files = [f for f in files if f]
    problems = []
    if len(files) > kind.max_files:
        problems.append(f"Mỗi lần gửi tối đa {kind.max_files} tệp (đã chọn {len(files)} tệp).")
    problems += [p for p in (upload_problem(f, kind) for f in files) if p]
    return problems


def not_kept_notes(files: Iterable, kind: UploadKind, *, refused: bool | None = None) -> list[str]:
    """What a re-shown form says about the files that were chosen: the browser keeps none of them after a refused
    form, so none is presented as still chosen — a refused file "was not kept", an acceptable one "must be chosen
    again"."""
    notes = []
    for upload in files:
        if upload:
            name = PurePath(upload.name or "").name
            is_refused = refused if refused is not None else bool(upload_problem(upload, kind))
            notes.append((NOT_KEPT if is_refused else LOST_ON_RELOAD).format(name=name))
    return notes


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class UploadField(forms.FileField):
    """A file input of one ``UploadKind``: ``accept=`` and the help text come from the kind, and the form's own
    validation runs every upload check, so a refused file is reported together with the form's other problems."""

    def __init__(self, kind: UploadKind, *, multiple: bool = False, **kwargs):
        self.kind = kind
        self.multiple = multiple
        attrs = {"accept": kind.accept, "data-upload-kind": kind.field}
        if multiple:
            attrs["multiple"] = True
        kwargs.setdefault("widget", (MultipleFileInput if multiple else forms.ClearableFileInput)(attrs=attrs))
        kwargs.setdefault("help_text", kind.help_text)
        kwargs.setdefault("allow_empty_file", True)  # the kind's check says "rỗng" in Vietnamese
        kwargs.setdefault("error_messages", {"invalid": "Tệp tải lên không hợp lệ.",
                                             "required": f"Hãy chọn {kind.label}."})
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        items = [item for item in (data if isinstance(data, list | tuple) else [data]) if item]
        if not items:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return [] if self.multiple else None
        problems = upload_problems(items, self.kind)
        if problems:
            raise forms.ValidationError(problems)
        return items if self.multiple else items[0]


def _peek(uploaded, length: int) -> bytes:
    position = uploaded.tell() if hasattr(uploaded, "tell") else 0
    uploaded.seek(0)
    head = uploaded.read(length)
    uploaded.seek(position)
    return head


log = logging.getLogger(__name__)
_stored_here: contextvars.ContextVar[list | None] = contextvars.ContextVar("nq57_stored_files", default=None)


@contextlib.contextmanager
def removed_on_failure():
    """Files stored (by the default storage) inside the block are deleted again when the block raises — a refused
    attachment, a transaction that fails after some files were written — so a failed upload leaves no file behind
    (an orphan would otherwise sit in the folder the next report reuses). Use it outside ``transaction.atomic``::

        @acting
        @removed_on_failure()
        @transaction.atomic
        def report_submit(...): ...
    """
    stored: list = []
    outer = _stored_here.get()
    token = _stored_here.set(stored)
    try:
        yield
    except BaseException:
        for storage, name in stored:
            try:
                storage.delete(name)
            except OSError:  # pragma: no cover - a file the disk already lost
                log.warning("could not remove %s after a failed write", name)
        raise
    finally:
        _stored_here.reset(token)
        if outer is not None:  # a nested block: the enclosing one still owns the files
            outer.extend(stored)


class SafeNameFileSystemStorage(FileSystemStorage):
    """The default storage, with stored names short enough for every file system: an uploaded file called by a
    600-byte name (UTF-8 Vietnamese is 2-3 bytes a letter) is stored under its first letters and its extension, so
    saving never fails with "file name too long" (the original name is kept in the model, e.g. ``original_name``)."""

    MAX_NAME_BYTES = 120

    def _save(self, name, content):
        name = super()._save(name, content)
        stored = _stored_here.get()
        if stored is not None:
            stored.append((self, name))
        return name

    def get_valid_name(self, name):
        name = super().get_valid_name(name)
        if len(name.encode("utf-8")) <= self.MAX_NAME_BYTES:
            return name
        stem, suffix = os.path.splitext(name)
        suffix = suffix[:16]
        budget = self.MAX_NAME_BYTES - len(suffix.encode("utf-8"))
        return stem.encode("utf-8")[:budget].decode("utf-8", "ignore") + suffix
