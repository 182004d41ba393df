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
# a text as its words (runs of letters and digits) and, between them, the runs of other characters than spaces: such
# a run is never a keyword's word, so it breaks a phrase (its words must be separated by spaces only, as
# ``_pattern`` says)
TOKEN = re.compile(r"\w+|[^\w\s]+")


@dataclass(frozen=True)
class _AnyOf:
    """A keyword list prepared for ``Text.mentions_any``: the keywords made of whole words only, as a table from
    each one's first word to the rest of its words (phrases folded; acronyms as typed), and one alternation of
    ``_pattern``'s patterns for the others (a word with other characters than letters and digits, such as "C++")."""

    phrases: dict[str, tuple[tuple[str, ...], ...]]
    acronyms: frozenset[str]
    patterns: tuple[re.Pattern | None, re.Pattern | None]  # (acronyms, other keywords)


@functools.lru_cache(maxsize=1024)
def _patterns_any(keywords: tuple[str, ...]) -> _AnyOf:
    """The keyword list prepared once (theme tagging of bulk imports checks every theme of every task). A pattern
    matches exactly when the keyword's words are whole words of the text, in order, separated by spaces only; for
    keywords made of letters and digits that is a lookup in the text's words instead of a search."""
    phrases: dict[str, list[tuple[str, ...]]] = {}
    acronyms: set[str] = set()
    leftover: dict[bool, list[str]] = {True: [], False: []}
    for keyword in keywords:
        acronym, pattern = _pattern(keyword) if isinstance(keyword, str) else (False, None)
        if pattern is None:
            continue
        words = [unicodedata.normalize("NFC", keyword.strip())] if acronym else fold(keyword).split()
        if not all(WORD.fullmatch(word) for word in words):
            leftover[acronym].append(f"(?:{pattern.pattern})")
        elif acronym:
            acronyms.add(words[0])
        else:
            phrases.setdefault(words[0], []).append(tuple(words[1:]))
    patterns = tuple(re.compile("|".join(p)) if p else None for p in (leftover[True], leftover[False]))
    return _AnyOf({first: tuple(rests) for first, rests in phrases.items()}, frozenset(acronyms), patterns)


class Text:
    """A text prepared once for many keyword checks."""

    def __init__(self, text: str):
        self.nfc = unicodedata.normalize("NFC", text or "")
        self.folded = fold(self.nfc)
        self._tokens: list[str] | None = None
        self._token_set: set[str] | None = None
        self._words: set[str] | None = None

    def _folded_tokens(self) -> tuple[list[str], set[str]]:
        if self._tokens is None:
            self._tokens = TOKEN.findall(self.folded)
            self._token_set = set(self._tokens)
        return self._tokens, self._token_set  # type: ignore[return-value]

    def _nfc_words(self) -> set[str]:
        if self._words is None:
            self._words = set(WORD.findall(self.nfc))
        return self._words

    def _has_phrase(self, first: str, rests: tuple[tuple[str, ...], ...]) -> bool:
        tokens, present = self._folded_tokens()
        if first not in present:
            return False
        index = -1
        while True:
            index = tokens.index(first, index + 1)
            for rest in rests:
                if tuple(tokens[index + 1:index + 1 + len(rest)]) == rest:
                    return True
            if first not in tokens[index + 1:]:
                return False

    def mentions(self, keyword: str) -> bool:
        acronym, pattern = _pattern(keyword or "")
        if pattern is None:
            return False
        return bool(pattern.search(self.nfc if acronym else self.folded))

    def mentions_any(self, keywords) -> bool:
        try:  # the list as it is (cached as such): a theme's keywords are plain strings
            prepared = _patterns_any(tuple(keywords or ()))
        except TypeError:  # something unhashable in it
            prepared = _patterns_any(tuple(k for k in keywords if isinstance(k, str)))
        if any(self._has_phrase(first, rests) for first, rests in prepared.phrases.items()):
            return True
        if prepared.acronyms and not prepared.acronyms.isdisjoint(self._nfc_words()):
            return True
        acronyms, others = prepared.patterns
        return bool(acronyms and acronyms.search(self.nfc)) or bool(others and others.search(self.folded))


def mentions(text: str, keyword: str) -> bool:
    return Text(text).mentions(keyword)
