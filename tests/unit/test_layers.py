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


# --- web code imports services and view helpers, not the domain's internals ----------------------------------------

WEB = DOMAIN.parent / "web"
# The domain's names web code may import besides its types and constants: the message markers, the calendar's
# arithmetic (the one date parser among it), which a view needs to read a form's dates and a period, and the case
# record's text helpers (filling an office's template, numbering items ①②), which its wording (record_text.py) uses,
# and the pocket card's text size for the words a card prints (a function of strings alone).
WEB_MAY_CALL = {"N_", "Nn_", "fiscal_year", "add_months", "parse_day", "fill", "numbered", "text_size"}
# Domain functions web code still calls directly, to move behind services (issue 26): this list only shrinks.
NOT_YET_BEHIND_A_SERVICE: set[str] = set()


def domain_internals_imported(path: Path) -> set[str]:
    """The names `path` imports from intake.domain that are neither types nor constants (functions, modules)."""
    import importlib
    import inspect

    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and "domain" in node.module.split("."):
            module = "intake.domain" + node.module.split("domain", 1)[1] if node.level else node.module
            source = importlib.import_module(module)
            for alias in node.names:
                value = getattr(source, alias.name)
                if inspect.ismodule(value) or (callable(value) and not inspect.isclass(value)):
                    found.add(alias.name)
    return found - WEB_MAY_CALL


def test_web_code_imports_no_new_domain_internals():
    found = {
        name: path.relative_to(WEB).as_posix() for path in WEB.rglob("*.py") for name in domain_internals_imported(path)
    }
    new = {name: where for name, where in found.items() if name not in NOT_YET_BEHIND_A_SERVICE}
    assert new == {}, "web code calls the domain: go through a service (or a view helper) instead"
    assert NOT_YET_BEHIND_A_SERVICE <= set(found), "moved behind a service: take it off the list"


def test_the_check_notices_a_view_calling_a_domain_rule(tmp_path):
    view = tmp_path / "view.py"
    view.write_text("from ..domain.worksheet import approval_problems, Approval, MAX_ACTIONS\n")
    assert domain_internals_imported(view) == {"approval_problems"}
