from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from nq57.accounts import services
from nq57.core.roles import role_choices

from .models import Membership, User


class MembershipForm(forms.ModelForm):
    role = forms.ChoiceField(label="vai trò", choices=role_choices)

    class Meta:
        model = Membership
        fields = ("organisation", "role")


class MembershipInline(admin.TabularInline):
    """A person's organisations and roles; saved through ``accounts.services`` (audited, office only)."""

    model = Membership
    form = MembershipForm
    extra = 1
    autocomplete_fields = ("organisation",)


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, BaseUserAdmin):
    list_display = ("username", "full_name", "email", "is_active")
    list_filter = ("is_active", "memberships__role")
    search_fields = ("username", "full_name", "email", "memberships__organisation__name")
    fieldsets = BaseUserAdmin.fieldsets + (("nq57", {"fields": ("full_name",)}),)
    add_fieldsets = BaseUserAdmin.add_fieldsets + (("nq57", {"fields": ("full_name",)}),)
    inlines = [MembershipInline]

    def save_formset(self, request, form, formset, change):
        if formset.model is not Membership:
            return super().save_formset(request, form, formset, change)
        user = form.instance
        for inline in formset.forms:
            if not inline.has_changed() and not formset._should_delete_form(inline):
                continue
            old = inline.instance if inline.instance.pk else None
            if old is not None:
                initial = Membership.objects.get(pk=old.pk)
                services.membership_remove(user=user, organisation=initial.organisation, role_code=initial.role,
                                           actor=request.user)
            if not formset._should_delete_form(inline) and inline.cleaned_data.get("organisation"):
                services.membership_add(user=user, organisation=inline.cleaned_data["organisation"],
                                        role_code=inline.cleaned_data["role"], actor=request.user)
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
