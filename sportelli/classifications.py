"""The classifications a vacancy is coded with: ISCO-08 occupations and ATECO
economic activities.

ISCO-08 (ILO, International Standard Classification of Occupations, 2008) ships
as ``data/isco08.csv``: the whole structure (10 major groups, 43 sub-major, 130
minor and 436 unit groups) with the ILO's English titles and, where we know them
reliably, an Italian title (ISTAT's CP2011 is aligned to ISCO-08 but is not a
translation of it, so most rows have none and fall back to English). Columns:
``code, level, parent, title_en, title_it``. Read once, kept in memory.

ATECO comes from the ``ateco`` package (ISTAT's classification as package data,
editions 2007, 2022 and 2025): vacancies are coded in ATECO 2025, the edition in
force since 1 January 2025, at division level or finer (``56``, ``56.11``,
``56.11.11``). The section letters are the facet on the job board; their labels
are translatable (English NACE Rev. 2.1 names as msgids, ISTAT's Italian names
as translations).
"""

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import ateco
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

ISCO_FILE = Path(__file__).parent / "data" / "isco08.csv"
ATECO_EDITION = "2025"


class IscoTitle(str):
    """An ISCO-08 title that knows the language it is written in.

    Most unit groups have no Italian title, so an Italian page shows many of
    them in English. The title keeps its language in ``content_language`` (the
    attribute ``portal/templatetags/a11y_tags.py`` reads), so a template that
    only received the text, e.g. in a ``(code, title)`` pair built by a view,
    can still mark it: ``{{ title|with_own_lang }}`` or ``<td{% own_lang title %}>``
    give ``lang="en"`` where the page is Italian (WCAG 3.1.2). Building a new
    string from it (an f-string, ``|lower``) gives a plain ``str`` again.
    """

    content_language: str

    def __new__(cls, text: str, language: str):
        title = super().__new__(cls, text)
        title.content_language = language
        return title

    def __reduce__(self):
        return type(self), (str(self), self.content_language)


@dataclass(frozen=True)
class IscoGroup:
    code: str
    level: str  # "major", "sub_major", "minor" or "unit"
    parent: str
    title_en: str
    title_it: str

    @property
    def title_lang(self) -> str:
        """The language of :attr:`title`: "it" when the active language is
        Italian and an Italian title is known, otherwise "en"."""
        if (get_language() or "").startswith("it") and self.title_it:
            return "it"
        return "en"

    @property
    def content_language(self) -> str:
        """The same as :attr:`title_lang`, under the name the accessibility
        tags read: ``<span{% content_lang group %}>{{ group.title }}</span>``."""
        return self.title_lang

    @property
    def title(self) -> IscoTitle:
        """The title in the active language (English when no Italian is known),
        carrying its language (:class:`IscoTitle`)."""
        language = self.title_lang
        return IscoTitle(self.title_it if language == "it" else self.title_en, language)

    @property
    def coded_title(self) -> IscoTitle:
        """``"5120 – Cooks"``, the label of a filter or table row, still carrying
        the title's language (an f-string of :attr:`title` would drop it)."""
        return IscoTitle(f"{self.code} – {self.title}", self.title_lang)

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


@cache
def isco_groups() -> dict[str, IscoGroup]:
    with ISCO_FILE.open(encoding="utf-8", newline="") as handle:
        return {row["code"]: IscoGroup(**row) for row in csv.DictReader(handle)}


def isco_unit(code: str) -> IscoGroup | None:
    group = isco_groups().get((code or "").strip())
    return group if group is not None and group.level == "unit" else None


def isco_major(code: str) -> IscoGroup | None:
    return isco_groups().get((code or "")[:1])


def isco_major_groups() -> list[IscoGroup]:
    return [group for group in isco_groups().values() if group.level == "major"]


def isco_unit_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Unit groups grouped by major group, for a <select> with <optgroup>s."""
    groups = isco_groups()
    result: dict[str, list[tuple[str, str]]] = {}
    for group in groups.values():
        if group.level == "unit":
            major = groups[group.code[0]]
            result.setdefault(f"{major.code} {major.title}", []).append(
                (group.code, IscoTitle(f"{group.code} {group.title}", group.title_lang))
            )
    return list(result.items())


# ATECO 2025 sections: English NACE Rev. 2.1 names (translated in the .po files
# to ISTAT's Italian names).
ATECO_SECTIONS = {
    "A": _("Agriculture, forestry and fishing"),
    "B": _("Mining and quarrying"),
    "C": _("Manufacturing"),
    "D": _("Electricity, gas, steam and air conditioning supply"),
    "E": _("Water supply; sewerage, waste management and remediation"),
    "F": _("Construction"),
    "G": _("Wholesale and retail trade"),
    "H": _("Transportation and storage"),
    "I": _("Accommodation and food service activities"),
    "J": _("Publishing, broadcasting, and content production and distribution"),
    "K": _(
        "Telecommunication, computer programming, consulting, computing "
        "infrastructure and other information services"
    ),
    "L": _("Financial and insurance activities"),
    "M": _("Real estate activities"),
    "N": _("Professional, scientific and technical activities"),
    "O": _("Administrative and support service activities"),
    "P": _("Public administration and defence; compulsory social security"),
    "Q": _("Education"),
    "R": _("Human health and social work activities"),
    "S": _("Arts, sports and recreation"),
    "T": _("Other service activities"),
    "U": _("Activities of households as employers"),
    "V": _("Activities of extraterritorial organisations and bodies"),
}


@dataclass(frozen=True)
class AtecoActivity:
    code: str
    title: str  # ISTAT's Italian title (the package ships no other language)
    section: str


def ateco_activity(code: str) -> AtecoActivity | None:
    """The ATECO 2025 activity at ``code`` (dotted or compact, division level or
    finer), or None if there is no such code."""
    raw = (code or "").strip()
    if not raw or raw.isalpha():
        return None
    try:
        node = ateco.lookup(raw, edition=ATECO_EDITION)
    except ValueError:
        return None
    if node is None or node.level == "section":
        return None
    section = node
    while section.parent:
        section = ateco.lookup(section.parent, edition=ATECO_EDITION)
    return AtecoActivity(code=node.code, title=node.title, section=section.code)


@cache
def ateco_divisions() -> list[tuple[str, str]]:
    """Every ATECO 2025 division as (code, "code title"), for a suggestion list."""
    divisions = []
    for number in range(1, 100):
        node = ateco.lookup(f"{number:02d}", edition=ATECO_EDITION)
        if node is not None and node.level == "division":
            divisions.append((node.code, f"{node.code} {node.title}"))
    return divisions


def ateco_section_label(section: str) -> str:
    label = ATECO_SECTIONS.get(section)
    return f"{section} – {label}" if label else section
