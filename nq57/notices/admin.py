from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Notice, NoticeDraft


@admin.register(Notice)
class NoticeAdmin(SimpleHistoryAdmin):
    list_display = ("number", "issued_on", "kind", "programme", "signer")
    list_filter = ("programme", "kind")
    search_fields = ("number", "title", "issuer")
    date_hierarchy = "issued_on"
    filter_horizontal = ("cites",)


@admin.register(NoticeDraft)
class NoticeDraftAdmin(admin.ModelAdmin):
    list_display = ("__str__", "programme", "created_by", "created_at", "confirmed_at", "notice")
    list_filter = ("programme", ("confirmed_at", admin.EmptyFieldListFilter))
    raw_id_fields = ("notice",)
    readonly_fields = ("proposal",)
