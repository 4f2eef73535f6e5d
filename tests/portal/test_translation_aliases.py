"""makemessages extracts gettext calls by name: a translation function imported
under another name (``gettext as gettext_now``, ``gettext_lazy as _lazy``) leaves
its strings out of the Italian catalogue without any error."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ("portal", "community", "kit_downloads", "sportelli", "search")
FUNCTIONS = {
    "gettext",
    "gettext_lazy",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "npgettext",
    "npgettext_lazy",
    "gettext_noop",
}


def test_translation_functions_keep_names_makemessages_knows():
    found = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if (
                    isinstance(node, ast.ImportFrom)
                    and node.module == "django.utils.translation"
                ):
                    found += [
                        f"{path.relative_to(ROOT)}: {alias.name} as {alias.asname}"
                        for alias in node.names
                        if alias.name in FUNCTIONS and alias.asname not in (None, "_")
                    ]
    assert found == []
