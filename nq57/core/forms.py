"""Putting a service's problems on a web form: every page that shows a form uses this one helper, so a refused form
shows all its problems at once — the form's own (required, format, length, files) and the service's rules."""


def form_errors_add(form, problems: dict | None) -> None:
    """Add ``problems`` (``{field: [message, ...]}``, a ``ServiceError.errors``) to ``form``: each message beside its
    field (unknown fields and "__all__"/None at the top). A field the form already refused keeps its own message
    only (the service, given None for it, would say the same thing again)."""
    for name, messages in (problems or {}).items():
        target = name if name in form.fields else None
        if target is not None and target in form.errors:
            continue
        for message in messages:
            if message not in form.errors.get(target or "__all__", []):
                form.add_error(target, message)
