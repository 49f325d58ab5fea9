"""The pure modules never import Flask or the database layer (DESIGN principle 1)."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "workshop"
PURE = [
    "domain.py",
    "tally.py",
    "content.py",
    "safe_yaml.py",
    "kinds/base.py",
    "kinds/choice.py",
    "kinds/scale.py",
    "kinds/text.py",
    "exports/snapshot.py",
    "exports/markdown.py",
    "exports/words.py",
    "exports/templating.py",
    "exports/report.py",
    "exports/csvrows.py",
    "exports/jsondoc.py",
]
FORBIDDEN = ("flask", "flask_socketio", "flask_sqlalchemy", "sqlalchemy", "socketio", "workshop.store", ".store")


def imported_modules(path: Path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            yield ("." * node.level) + (node.module or "")


@pytest.mark.parametrize(
    "name", PURE + sorted(str(p.relative_to(ROOT)) for p in (ROOT / "exports").glob("*.py") if p.name != "__init__.py")
)
def test_a_pure_module_imports_no_flask_and_no_database(name):
    bad = [
        m for m in imported_modules(ROOT / name) if m.split(".")[0] in FORBIDDEN or m.lstrip(".").startswith("store")
    ]
    assert bad == [], f"{name} imports {bad}"
