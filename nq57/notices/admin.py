from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from nq57.core.admin import ReadOnlyAdminMixin

from .models import Notice, NoticeDraft


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    """Read-only: notices are imported and confirmed through ``nq57.notices`` services (Nhập thông báo)."""

    list_display = ("number", "issued_on", "kind", "programme", "signer")
    list_filter = ("programme", "kind")
    search_fields = ("number", "title", "issuer")
    date_hierarchy = "issued_on"


@admin.register(NoticeDraft)
class NoticeDraftAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("__str__", "programme", "created_by", "created_at", "confirmed_at", "notice")
    list_filter = ("programme", ("confirmed_at", admin.EmptyFieldListFilter))
