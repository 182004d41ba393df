from django.contrib import admin, messages
from simple_history.admin import SimpleHistoryAdmin

from nq57.core.admin import ReadOnlyAdminMixin, ReadOnlyInline
from nq57.core.errors import ServiceError
from nq57.reports.services import extension_decide

from .models import Assessment, ExtensionRequest, ExtensionState, ProgressReport, ReportAttachment


class ReportAttachmentInline(ReadOnlyInline):
    model = ReportAttachment
    fields = ("original_name", "size", "content_type")


@admin.register(ProgressReport)
class ProgressReportAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    """Read-only: reports are filed and assessed through ``nq57.reports.services``."""

    list_display = ("task", "agency", "percent", "claimed_status", "state", "submitted_at")
    list_filter = ("state", "claimed_status")
    inlines = [ReportAttachmentInline]


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ("report", "verdict", "assessor", "assessed_at")


def _decide(modeladmin, request, queryset, *, approve: bool) -> None:
    """Each pending request through ``extension_decide``: the deadline moves, the timeline and the agency are told,
    exactly as when the office decides on the task page."""
    done = 0
    for extension in queryset.filter(state=ExtensionState.PENDING).select_related("task"):
        try:
            extension_decide(request=extension, actor=request.user, approve=approve,
                             note="Quyết định trong trang quản trị")
            done += 1
        except ServiceError as exc:
            modeladmin.message_user(request, f"{extension}: {exc.message}", messages.ERROR)
    skipped = queryset.exclude(state=ExtensionState.PENDING).count()
    verb = "đồng ý" if approve else "không đồng ý"
    if done:
        modeladmin.message_user(request, f"Đã {verb} {done} đề xuất gia hạn.", messages.SUCCESS)
    if skipped:
        modeladmin.message_user(request, f"Bỏ qua {skipped} đề xuất đã được quyết định trước đó.", messages.WARNING)


@admin.action(description="Đồng ý gia hạn (dời hạn nhiệm vụ)")
def approve_extensions(modeladmin, request, queryset):
    _decide(modeladmin, request, queryset, approve=True)


@admin.action(description="Không đồng ý gia hạn")
def reject_extensions(modeladmin, request, queryset):
    _decide(modeladmin, request, queryset, approve=False)


@admin.register(ExtensionRequest)
class ExtensionRequestAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    """Read-only; the actions decide pending requests through ``extension_decide``."""

    list_display = ("task", "agency", "requested_due", "state", "decided_at")
    list_filter = ("state",)
    actions = [approve_extensions, reject_extensions]

    def has_decide_permission(self, request):
        from nq57.core import access

        return access.can_assess(request.user)


approve_extensions.allowed_permissions = reject_extensions.allowed_permissions = ("decide",)
