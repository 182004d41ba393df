from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from nq57.core.admin import ReadOnlyAdminMixin
from nq57.intake.models import Submission


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ("tracking_code", "kind", "title", "status", "routed_agency", "answer_due", "created_at")
    list_filter = ("kind", "status")
    search_fields = ("tracking_code", "title")
    exclude = ("secret",)
