"""Links to one object's page, cheaply: ``pk_url("tasks:task_detail", 42)`` == ``reverse("tasks:task_detail",
args=[42])``.

Django's ``reverse`` of a namespaced name costs about 90 microseconds here (it tries the pattern's candidates with
regular expressions); a list page links every row's task, notice and agencies, a few hundred reverses. The URL of a
detail page differs only in its number, so the pattern is reversed once per (name, script prefix) with a placeholder
number and the number put in its place. Only for patterns whose single argument is an ``<int:...>``; a change of
``ROOT_URLCONF`` (tests) forgets what was learnt."""

from functools import lru_cache

from django.core.signals import setting_changed
from django.urls import get_script_prefix, reverse

_PLACEHOLDER = 987654321987


@lru_cache(maxsize=128)
def _parts(viewname: str, prefix: str) -> tuple[str, str]:
    url = reverse(viewname, args=[_PLACEHOLDER])
    head, found, tail = url.partition(str(_PLACEHOLDER))
    if not found:  # pragma: no cover - a pattern that transforms its number
        raise ValueError(f"{viewname}: not a plain <int:...> detail URL")
    return head, tail


def pk_url(viewname: str, pk: int) -> str:
    """The URL of ``viewname`` for the object ``pk`` (an integer primary key)."""
    head, tail = _parts(viewname, get_script_prefix())
    return f"{head}{int(pk)}{tail}"


@lru_cache(maxsize=128)
def _plain(viewname: str, prefix: str) -> str:
    return reverse(viewname)


def view_url(viewname: str) -> str:
    """``reverse(viewname)`` of a page without arguments (the task list, under every bar of a chart)."""
    return _plain(viewname, get_script_prefix())


def _forget(*, setting, **kwargs):
    if setting == "ROOT_URLCONF":
        _parts.cache_clear()
        _plain.cache_clear()


setting_changed.connect(_forget)
