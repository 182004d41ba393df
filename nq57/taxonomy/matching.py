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
from dataclasses import dataclass

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


WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class _AnyOf:
    """One alternation of ``_pattern``'s patterns, and the first words any of its matches must contain as a whole
    word of the text (None when a keyword's first word has other characters than letters and digits: then the
    pattern is always searched)."""

    pattern: re.Pattern
    first_words: frozenset[str] | None

    def search(self, text: str, words) -> bool:
        if self.first_words is not None and self.first_words.isdisjoint(words()):
            return False
        return self.pattern.search(text) is not None


@functools.lru_cache(maxsize=1024)
def _patterns_any(keywords: tuple[str, ...]) -> tuple[_AnyOf | None, _AnyOf | None]:
    """(acronyms, other keywords) of a keyword list, each as one alternation of ``_pattern``'s patterns: one search
    says whether any of them matches (theme tagging of bulk imports checks every theme of every task). A pattern
    match starts with the keyword's first word standing alone (not inside a longer word), so when none of the first
    words is among the text's words, the search is skipped: most themes of most texts."""
    groups: dict[bool, tuple[list[str], set[str] | None]] = {True: ([], set()), False: ([], set())}
    for keyword in keywords:
        acronym, pattern = _pattern(keyword)
        if pattern is None:
            continue
        patterns, first_words = groups[acronym]
        patterns.append(f"(?:{pattern.pattern})")
        first = (unicodedata.normalize("NFC", keyword.strip()) if acronym else fold(keyword).split()[0])
        if first_words is not None and WORD.fullmatch(first):
            first_words.add(first)
        else:
            groups[acronym] = (patterns, None)
    return tuple(  # type: ignore[return-value]
        _AnyOf(re.compile("|".join(patterns)), frozenset(first_words) if first_words is not None else None)
        if patterns else None for patterns, first_words in (groups[True], groups[False]))


class Text:
    """A text prepared once for many keyword checks."""

    def __init__(self, text: str):
        self.nfc = unicodedata.normalize("NFC", text or "")
        self.folded = fold(self.nfc)
        self._words: dict[bool, set[str]] = {}

    def _words_of(self, acronym: bool) -> set[str]:
        """The whole words (runs of letters and digits) of the text as typed (acronyms) or folded (the rest)."""
        if acronym not in self._words:
            self._words[acronym] = set(WORD.findall(self.nfc if acronym else self.folded))
        return self._words[acronym]

    def mentions(self, keyword: str) -> bool:
        acronym, pattern = _pattern(keyword or "")
        if pattern is None:
            return False
        return bool(pattern.search(self.nfc if acronym else self.folded))

    def mentions_any(self, keywords) -> bool:
        acronyms, others = _patterns_any(tuple(k or "" for k in keywords or () if isinstance(k, str)))
        return bool(acronyms and acronyms.search(self.nfc, lambda: self._words_of(True))) or bool(
            others and others.search(self.folded, lambda: self._words_of(False)))


def mentions(text: str, keyword: str) -> bool:
    return Text(text).mentions(keyword)
