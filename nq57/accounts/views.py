"""Pages about the signed-in user; ``forbidden`` is the one "you may not do this" page every app answers with."""

from django.shortcuts import render


def forbidden(request, message: str):
    """403 with a plain-Vietnamese explanation of why the action was refused and where to go instead."""
    return render(request, "accounts/forbidden.html", {"message": message}, status=403)
