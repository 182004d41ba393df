def navigation(request):
    """Role flags the base template uses to show or hide menu entries."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"is_office": False, "is_focal_point": False}
    return {"is_office": user.is_office, "is_focal_point": user.is_focal_point}
