from django.utils.functional import SimpleLazyObject


def navigation(request):
    """Role flags the base template uses to show or hide menu entries (computed from the user's memberships)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"is_office": False, "is_focal_point": False, "is_staff_side": False, "my_organisation": None}

    def organisation():
        from nq57.accounts.selectors import primary_organisation

        return primary_organisation(user)

    return {"is_office": user.is_office, "is_focal_point": user.is_focal_point, "is_staff_side": user.is_staff_side,
            "my_organisation": SimpleLazyObject(organisation)}


def static_assets(request):
    """Paths of bundled front-end assets whose location carries their version (cached by browsers for a year):
    ``{% static plotly_js %}`` on every page that draws a chart."""
    from django.conf import settings

    return {"plotly_js": f"{settings.PLOTLY_STATIC_DIR}/plotly.min.js"}
