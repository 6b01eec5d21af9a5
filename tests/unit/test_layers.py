"""The engine stays pure: no web framework, no translation layer, no database in intake/domain."""

import ast
from pathlib import Path

DOMAIN = Path(__file__).resolve().parents[2] / "intake" / "domain"
FORBIDDEN = {"flask", "flask_babel", "flask_sqlalchemy", "flask_login", "flask_wtf", "sqlalchemy", "werkzeug", "jinja2"}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
        elif isinstance(node, ast.ImportFrom) and node.level > 1:
            names.add("intake")  # reaching out of the domain package
    return names


def test_domain_imports_no_web_or_database_code():
    offenders = {
        path.name: sorted(imported_modules(path) & (FORBIDDEN | {"intake"}))
        for path in DOMAIN.glob("*.py")
        if imported_modules(path) & (FORBIDDEN | {"intake"})
    }
    assert offenders == {}


def test_the_layers_check_notices_a_flask_import(tmp_path):
    sample = tmp_path / "bad.py"
    sample.write_text("from flask import url_for\nimport sqlalchemy.orm\n")
    assert imported_modules(sample) >= {"flask", "sqlalchemy"}
