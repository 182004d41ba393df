"""What every app's admin shares: workflow records (tasks, reports, assessments, extensions, notices, events,
notifications, snapshots, deliveries…) are read-only in the admin; they change only through their services (the web
pages, the API, or admin actions that call those services)."""

from django.contrib import admin


class ReadOnlyAdminMixin:
    """The admin shows the record and its history but can neither add, change nor delete it."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_history_permission(self, request, obj=None):  # simple-history: no "revert to this version"
        return False


class ReadOnlyInline(ReadOnlyAdminMixin, admin.TabularInline):
    extra = 0
    can_delete = False
