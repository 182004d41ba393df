"""Notifications, reminder dispatches and issued-report snapshots: read-only in the admin (written only by the
monitoring services: alerts, jobs, ``report_issue``)."""

from django.contrib import admin

from nq57.core.admin import ReadOnlyAdminMixin

from .models import Dispatch, Notification, ReportSnapshot


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    raw_id_fields = ("recipient",)


@admin.register(Dispatch)
class DispatchAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    pass


@admin.register(ReportSnapshot)
class ReportSnapshotAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("scope", "as_of", "task_count")
