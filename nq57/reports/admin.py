from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Assessment, ExtensionRequest, ProgressReport, ReportAttachment


class ReportAttachmentInline(admin.TabularInline):
    model = ReportAttachment
    extra = 0
    readonly_fields = ("original_name", "size", "content_type")


@admin.register(ProgressReport)
class ProgressReportAdmin(SimpleHistoryAdmin):
    list_display = ("task", "agency", "percent", "claimed_status", "state", "submitted_at")
    list_filter = ("state", "claimed_status")
    raw_id_fields = ("task", "agency", "author")
    inlines = [ReportAttachmentInline]


@admin.register(Assessment)
class AssessmentAdmin(SimpleHistoryAdmin):
    list_display = ("report", "verdict", "assessor", "assessed_at")
    raw_id_fields = ("report", "assessor")


@admin.register(ExtensionRequest)
class ExtensionRequestAdmin(SimpleHistoryAdmin):
    list_display = ("task", "agency", "requested_due", "state", "decided_at")
    list_filter = ("state",)
    raw_id_fields = ("task", "agency", "requested_by", "decided_by")
