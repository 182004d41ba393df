"""Does a text mention a keyword? Whole words and phrases only, compared without diacritics.

The one rule for tagging text with themes and strategic technologies (``selectors.themes_for_text``,
``selectors.technologies_for_text``):

- a keyword matches whole words only: "AI" is not found in "tài chính", "5G" not in "15G"; a phrase ("trí tuệ nhân
  tạo") matches the same words in the same order, whatever the spacing;
- words are compared folded: no diacritics, any tone-mark style, NFC or NFD, upper or lower case;
- an acronym written in capitals in the keyword list ("AI", "5G", "IoT" is not one) matches only the same capitals in
  the text, so the Vietnamese word "ai" ("không để ai bị bỏ lại phía sau") is not artificial intelligence.
"""

import functools
import re
import unicodedata

from nq57.extraction.vietnamese import fold


def is_acronym(keyword: str) -> bool:
    word = keyword.strip()
    return bool(word) and " " not in word and len(word) <= 6 and any(c.isalpha() for c in word) and word == word.upper()


@functools.lru_cache(maxsize=4096)
def _pattern(keyword: str) -> tuple[bool, re.Pattern | None]:
    """(acronym?, compiled pattern) for one keyword; None for an empty keyword."""
    if is_acronym(keyword):
        word = unicodedata.normalize("NFC", keyword.strip())
        return True, re.compile(rf"(?<!\w){re.escape(word)}(?!\w)")
    folded = fold(keyword).strip()
    if not folded:
        return False, None
    words = [re.escape(w) for w in folded.split()]
    return False, re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)")


@functools.lru_cache(maxsize=1024)
def _patterns_any(keywords: tuple[str, ...]) -> tuple[re.Pattern | None, re.Pattern | None]:
    """(acronyms, other keywords) of a keyword list, each as one alternation of ``_pattern``'s patterns: one search
    says whether any of them matches (theme tagging of bulk imports checks every theme of every task)."""
    acronyms, others = [], []
    for keyword in keywords:
        acronym, pattern = _pattern(keyword)
        if pattern is not None:
            (acronyms if acronym else others).append(f"(?:{pattern.pattern})")
    return (re.compile("|".join(acronyms)) if acronyms else None, re.compile("|".join(others)) if others else None)


class Text:
    """A text prepared once for many keyword checks."""

    def __init__(self, text: str):
        self.nfc = unicodedata.normalize("NFC", text or "")
        self.folded = fold(self.nfc)

    def mentions(self, keyword: str) -> bool:
        acronym, pattern = _pattern(keyword or "")
        if pattern is None:
            return False
        return bool(pattern.search(self.nfc if acronym else self.folded))

    def mentions_any(self, keywords) -> bool:
        acronyms, others = _patterns_any(tuple(k or "" for k in keywords or () if isinstance(k, str)))
        return bool(acronyms and acronyms.search(self.nfc)) or bool(others and others.search(self.folded))


def mentions(text: str, keyword: str) -> bool:
    return Text(text).mentions(keyword)
