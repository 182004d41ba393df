"""The name an agency is shown under in charts, tables, reports, mail and exports: ONE official short form per
agency, never an internal code ("BXD", "BNG") or a foreign acronym ("HUST", "PTIT", "VNPT").

The rule (``display_name``), in order:
1. a provincial People's Committee reads "UBND tỉnh …" / "UBND TP …" (the form official documents use);
2. a recorded short name written the official way — words, opening with a Vietnamese word ("Bộ KH&CN",
   "Cơ quan Thường trực") — is used as it is;
3. otherwise the full official name (short names that are bare codes or acronyms are for search, not display).

``Agency.display_name`` is this rule for one row; ``display_name(name, short_name)`` for rows read as values.
"""

import re

_PEOPLES_COMMITTEE = re.compile(r"^(Ủy|Uỷ) ban nhân dân\s+", re.IGNORECASE)
_CITY = re.compile(r"^(thành phố|TP\.?)\s+", re.IGNORECASE)
#: a token written in capitals, digits and joining signs only: a code or an acronym ("BXD", "KH&CN", "ĐHQG-HCM")
_CODE_TOKEN = re.compile(r"^[^a-zà-ỹđ]+$")


def is_code(text: str) -> bool:
    """A bare code or acronym, not an official short form: a single word ("BXD", "HUST", "Petrovietnam") or a form
    that opens with a capitals-only token ("BHXH Việt Nam", "ĐHQG TP.HCM")."""
    tokens = text.split()
    return len(tokens) < 2 or bool(_CODE_TOKEN.match(tokens[0]))


def display_name(name: str, short_name: str = "") -> str:
    name = (name or "").strip()
    short_name = (short_name or "").strip()
    if _PEOPLES_COMMITTEE.match(name):
        rest = _PEOPLES_COMMITTEE.sub("", name)
        if _CITY.match(rest):
            return "UBND TP " + _CITY.sub("", rest)
        return "UBND " + rest
    if short_name and not is_code(short_name) and len(short_name) < len(name):
        return short_name
    return name
