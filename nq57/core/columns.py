"""Reading only the columns a page shows of the rows it joins (``select_related``).

A joined model is read whole by default: a progress report's author brings the account's password hash, last login
and flags, an agency its contact and verification record, a notice its metadata. Each column also costs Django the
compiling of its SQL on every request (measured on the task page: about 12 µs a column, hundreds of columns). A
model says which of its columns its label and the access rules read (``LABEL_FIELDS``, next to its ``__str__``);
``defer_unshown`` turns that into ``QuerySet.defer`` names for one joined path. Reading a deferred column later still
works, at the cost of a query per row: the pages' query-count tests catch it.
"""

from collections.abc import Iterable


def defer_unshown(relation: str, model, shown: Iterable[str] | None = None) -> list[str]:
    """``QuerySet.defer`` names leaving of ``relation`` (a ``select_related`` path to ``model``) only its key and the
    fields ``shown`` (default: ``model.LABEL_FIELDS``)."""
    kept = set(model.LABEL_FIELDS if shown is None else shown)
    return [f"{relation}__{field.name}" for field in model._meta.concrete_fields
            if not field.primary_key and field.name not in kept]
