from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import User


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, BaseUserAdmin):
    list_display = ("username", "full_name", "role", "agency", "is_active")
    list_filter = ("role", "is_active")
    search_fields = ("username", "full_name", "email")
    autocomplete_fields = ("agency",)
    fieldsets = BaseUserAdmin.fieldsets + (("nq57", {"fields": ("full_name", "role", "agency")}),)
    add_fieldsets = BaseUserAdmin.add_fieldsets + (("nq57", {"fields": ("full_name", "role", "agency")}),)
