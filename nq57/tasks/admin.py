from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Task, TaskAssignment, TaskEvent


class TaskAssignmentInline(admin.TabularInline):
    model = TaskAssignment
    extra = 0
    autocomplete_fields = ("agency",)


@admin.register(Task)
class TaskAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "status", "deadline_kind", "deadline_due", "progress")
    list_filter = ("status", "deadline_kind", "notice__programme", "themes")
    search_fields = ("text", "notice__number", "path")
    raw_id_fields = ("notice", "parent")
    inlines = [TaskAssignmentInline]


@admin.register(TaskEvent)
class TaskEventAdmin(admin.ModelAdmin):
    list_display = ("task", "kind", "actor", "at")
    list_filter = ("kind",)
    raw_id_fields = ("task",)
