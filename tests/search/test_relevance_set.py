"""The search relevance set (search/relevance/) is well formed and names pages
that the demo content builds: each expected path is in the catalogue
(pages.json), and every segment of every catalogue path is one the demo
modules make (a slug they spell, the slug of a title they give, a release
version, a pivot province's abbreviation, or a URL prefix of the site), so a
renamed demo page fails here rather than silently scoring zero in
``make bench``. The demo is not loaded: that takes minutes."""

import ast
import csv
import json
import re
from pathlib import Path

from django.urls import reverse
from django.utils import translation
from django.utils.text import slugify

ROOT = Path(__file__).resolve().parents[2]
RELEVANCE = ROOT / "search" / "relevance"
DEMO_MODULES = [
    *sorted((ROOT / "portal" / "demo").glob("*.py")),
    *sorted((ROOT / "portal").glob("*/demo*.py")),
    *sorted(ROOT.glob("*/demo*.py")),
    # An app's demo may be a package (sportelli/demo/).
    *sorted(ROOT.glob("*/demo/*.py")),
]
VERSION = re.compile(r"^\d+\.\d+\.\d+(?:-[a-z]+\.\d+)?$")


def queries() -> list[dict]:
    return json.loads((RELEVANCE / "queries.json").read_text(encoding="utf-8"))[
        "queries"
    ]


def catalogue() -> dict[str, dict]:
    return json.loads((RELEVANCE / "pages.json").read_text(encoding="utf-8"))


def demo_strings() -> set[str]:
    strings = set()
    for module in DEMO_MODULES:
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                strings.add(node.value)
    return strings


def pivot_abbreviations() -> set[str]:
    from portal.observatories.demo import PIVOT_PROVINCES

    path = ROOT / "portal" / "taxonomy" / "data" / "istat_territories.csv"
    with path.open(encoding="utf-8") as rows:
        return {
            row[4].lower()
            for row in csv.reader(rows)
            if len(row) > 4 and row[0] == "province" and row[1] in PIVOT_PROVINCES
        }


def known_segments() -> set[str]:
    strings = demo_strings()
    segments = set(strings) | {slugify(text) for text in strings}
    segments |= {
        "v" + text.replace(".", "-") for text in strings if VERSION.match(text)
    }
    segments |= {f"osservatorio-{abbr}" for abbr in pivot_abbreviations()}
    for language in ("it", "en"):
        with translation.override(language):
            for name in ("community:group_list", "sportelli:directory"):
                segments |= set(reverse(name).strip("/").split("/"))
    return segments


def test_enough_queries_in_each_language():
    items = queries()
    assert sum(1 for item in items if item["language"] == "it") >= 60
    assert sum(1 for item in items if item["language"] == "en") >= 20


def test_queries_are_well_formed():
    items = queries()
    ids = [item["id"] for item in items]
    assert len(ids) == len(set(ids))
    texts = [(item["language"], item["query"].casefold()) for item in items]
    assert len(texts) == len(set(texts)), "a query is judged twice"
    for item in items:
        assert set(item) == {"id", "language", "query", "tags", "expected"}, item
        assert item["language"] in ("it", "en")
        assert item["query"].strip()
        assert isinstance(item["tags"], list) and item["tags"]
        grades = item["expected"]
        assert grades, item["id"]
        assert set(grades.values()) <= {1, 2}, item["id"]
        assert 2 in grades.values(), f"{item['id']}: no page is the answer"


def test_expected_pages_are_in_the_catalogue_in_the_query_language():
    pages = catalogue()
    for item in queries():
        for path in item["expected"]:
            assert path in pages, f"{item['id']}: {path} is not a demo page"
            assert pages[path]["language"] == item["language"], (item["id"], path)


def test_catalogue_paths_are_made_by_the_demo_modules():
    segments = known_segments()
    for path in catalogue():
        for segment in path.strip("/").split("/"):
            if segment and segment != "en" and not segment.isdigit():
                assert segment in segments, f"{path}: {segment!r} unknown to the demo"
