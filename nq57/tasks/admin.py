from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from nq57.core.admin import ReadOnlyAdminMixin, ReadOnlyInline

from .models import Task, TaskAssignment, TaskEvent


class TaskAssignmentInline(ReadOnlyInline):
    model = TaskAssignment
    fields = ("agency", "role", "assigned_name")


@admin.register(Task)
class TaskAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    """Read-only: tasks change through ``nq57.tasks.services`` (the task pages, the API), which keep the version,
    the timeline and the notifications right."""

    list_display = ("__str__", "status", "deadline_kind", "deadline_due", "progress")
    list_filter = ("status", "deadline_kind", "notice__programme", "themes")
    search_fields = ("text", "notice__number", "path")
    inlines = [TaskAssignmentInline]


@admin.register(TaskEvent)
class TaskEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("task", "kind", "actor", "at")
    list_filter = ("kind",)
