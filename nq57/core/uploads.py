"""Upload checks shared by every form and API that takes a file: size, extension and the file's real type."""

import contextlib
import contextvars
import logging
import os
from pathlib import PurePath

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.template.defaultfilters import filesizeformat

from nq57.core.errors import ServiceError

# extension -> accepted leading bytes (None: plain text, checked for NUL bytes instead)
DOCUMENT_SIGNATURES: dict[str, tuple[bytes, ...] | None] = {
    ".pdf": (b"%PDF-",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".pptx": (b"PK\x03\x04",),
    ".odt": (b"PK\x03\x04",),
    ".ods": (b"PK\x03\x04",),
    ".doc": (b"\xd0\xcf\x11\xe0",),
    ".xls": (b"\xd0\xcf\x11\xe0",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".zip": (b"PK\x03\x04",),
    ".txt": None,
    ".csv": None,
}
EXECUTABLE_SIGNATURES = (b"MZ", b"\x7fELF", b"#!", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe")


def check_upload(
    uploaded, *, max_bytes: int | None = None, allowed: dict[str, tuple[bytes, ...] | None] | None = None
) -> None:
    """Raise ServiceError (in Vietnamese) unless the file is of an allowed type, within the size limit, non-empty."""
    allowed = DOCUMENT_SIGNATURES if allowed is None else allowed
    limit = settings.ATTACHMENT_MAX_BYTES if max_bytes is None else max_bytes
    name = PurePath(uploaded.name or "").name
    extension = PurePath(name).suffix.lower()
    if uploaded.size is None or uploaded.size == 0:
        raise ServiceError(f"Tệp “{name}” rỗng.", field="attachments")
    if uploaded.size > limit:
        raise ServiceError(
            f"Tệp “{name}” có dung lượng {filesizeformat(uploaded.size)}, vượt quá giới hạn {filesizeformat(limit)}.",
            field="attachments",
        )
    if extension not in allowed:
        kinds = ", ".join(sorted(ext.lstrip(".") for ext in allowed))
        raise ServiceError(
            f"Không chấp nhận tệp “{name}”: chỉ nhận các định dạng {kinds}.", field="attachments"
        )
    head = _peek(uploaded, 8192)
    if head.startswith(EXECUTABLE_SIGNATURES):
        raise ServiceError(f"Tệp “{name}” là tệp chương trình, không được phép tải lên.", field="attachments")
    signatures = allowed[extension]
    if signatures is None:
        if b"\x00" in head:
            raise ServiceError(f"Tệp “{name}” không phải tệp văn bản.", field="attachments")
    elif not head.startswith(signatures):
        raise ServiceError(
            f"Nội dung tệp “{name}” không đúng định dạng {extension.lstrip('.')} như phần mở rộng của tên tệp.",
            field="attachments",
        )


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
