"""``{{ text|collapsed }}``: a free text as pages show it — whole when short; when long, its first
``limits.PREVIEW_CHARS`` characters and a "Xem thêm" that opens the rest (``<details>``/``<summary>``: no script,
so the Content-Security-Policy holds). A 160 KB reason no longer makes a page 70,000 px tall."""

from django import template
from django.utils.html import format_html

from nq57.core import limits

register = template.Library()


def split_preview(text: str, size: int = limits.PREVIEW_CHARS) -> tuple[str, str]:
    """(shown, rest): ``text`` cut at the last space before ``size`` characters (at ``size`` when no space)."""
    if len(text) <= size:
        return text, ""
    cut = text.rfind(" ", size // 2, size + 1)
    cut = cut if cut > 0 else size
    return text[:cut], text[cut:]


@register.filter
def collapsed(value, size: int = limits.PREVIEW_CHARS):
    text = "" if value is None else str(value)
    shown, rest = split_preview(text, int(size))
    if not rest:
        return format_html('<span class="quote">{}</span>', text)
    return format_html(
        '<details class="long-text"><summary><span class="quote">{}</span><span class="ellipsis">…</span> '
        '<span class="more">Xem thêm ({} ký tự)</span></summary><span class="quote">{}</span></details>',
        shown, limits.number(len(text)), rest,
    )
