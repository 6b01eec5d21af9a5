"""The translators' workflow: extraction contexts, `check`, `status`, `update` and the shipped catalogues."""

from __future__ import annotations

import sys

import pytest
from babel.messages.extract import extract_from_file
from i18n_helpers import TRANSLATIONS, complete_catalogue, copy_template, shipped_locales

from intake.config import ROOT, Defaults
from intake.domain.dialogue import load_dialogue
from intake.i18n import catalogues

DIALOGUE = ROOT / "dialogues" / "self_reliance.yaml"


def test_extractor_gives_every_dialogue_prompt_and_option_a_context():
    extracted = {
        context: text
        for _line, text, _comments, context in extract_from_file(
            "intake.i18n.extract:extract_dialogue", str(DIALOGUE), keywords={"pgettext": ((1, "c"), 2)}
        )
    }
    dialogue = load_dialogue(DIALOGUE)
    for step in dialogue.steps.values():
        if step.prompt:
            assert extracted.get(dialogue.context(step.id)) == step.prompt, step.id
        if step.help:
            assert extracted.get(dialogue.context(step.id, "help")) == step.help, step.id
        for option in step.options:
            assert extracted.get(option.context) == option.label, (step.id, option.id)
    assert all(context for context in extracted)


def test_the_template_has_every_dialogue_context():
    template = catalogues.read(TRANSLATIONS / "messages.pot")
    contexts = {m.context for m in template if m.id}
    dialogue = load_dialogue(DIALOGUE)
    missing = [s.id for s in dialogue.steps.values() if s.prompt and dialogue.context(s.id) not in contexts]
    assert not missing, f"run `make extract`: {missing}"


def test_shipped_catalogues_are_complete_and_pass_check():
    """CI runs `check` here: every shipped locale 100% translated, no fuzzy, no broken placeholder or reading."""
    template = catalogues.read(TRANSLATIONS / "messages.pot")
    for locale in shipped_locales():
        report = catalogues.check(
            template,
            TRANSLATIONS,
            locale,
            shipped=True,
            furigana=locale in Defaults.FURIGANA,
        )
        assert report.errors == [], (locale, report.errors)
        status = catalogues.status(template, TRANSLATIONS, locale, furigana=locale in Defaults.FURIGANA)
        assert status.translated == status.total, (locale, status)


def test_check_command_passes_on_the_shipped_catalogues(runner):
    result = runner.invoke(args=["intake", "i18n", "check"])
    assert result.exit_code == 0, result.output


def _check(runner, directory, locale="ko"):
    return runner.invoke(args=["intake", "i18n", "check", "--directory", str(directory), "--locale", locale])


def _edit(path, edit):
    catalog = catalogues.read(path)
    edit(catalog)
    catalogues.write(catalog, path)


def test_check_passes_a_complete_catalogue(runner, tmp_path):
    complete_catalogue(tmp_path, "ko", copy_template(tmp_path))
    result = _check(runner, tmp_path)
    assert result.exit_code == 0, result.output


def test_check_catches_a_broken_placeholder(runner, tmp_path):
    path = complete_catalogue(tmp_path, "ko", copy_template(tmp_path))

    def breaks(catalog):
        catalog.get("Section %(number)s of %(total)s").string = "%(total)s 중 %(number) 섹션"
        catalog.get("Up to %(max)s characters.").string = "최대 %(maximum)s자"

    _edit(path, breaks)
    result = _check(runner, tmp_path)
    assert result.exit_code == 1
    assert "Section %(number)s of %(total)s" in result.output
    assert "unknown named placeholder 'maximum'" in result.output or "printf" in result.output


def test_check_catches_a_stray_percent_in_a_template_string(runner, tmp_path):
    path = complete_catalogue(tmp_path, "ko", copy_template(tmp_path))
    _edit(path, lambda catalog: setattr(catalog.get("Continue"), "string", "100% 계속"))
    result = _check(runner, tmp_path)
    assert result.exit_code == 1
    assert "does not format like the source" in result.output


def test_check_catches_mismatched_markup(runner, tmp_path):
    path = complete_catalogue(tmp_path, "ko", copy_template(tmp_path))
    _edit(path, lambda catalog: setattr(catalog.get("Continue"), "string", "<b>계속"))
    result = _check(runner, tmp_path)
    assert result.exit_code == 1
    assert "xmltags" in result.output


def test_check_catches_a_missing_translation(runner, tmp_path):
    path = complete_catalogue(tmp_path, "ko", copy_template(tmp_path))
    _edit(path, lambda catalog: setattr(catalog.get("Continue"), "string", ""))
    result = _check(runner, tmp_path)
    assert result.exit_code == 1
    assert "untranslated 'Continue'" in result.output


def test_check_catches_a_string_missing_from_the_catalogue(runner, tmp_path):
    path = complete_catalogue(tmp_path, "ko", copy_template(tmp_path))
    _edit(path, lambda catalog: catalog.delete("Continue"))
    result = _check(runner, tmp_path)
    assert result.exit_code == 1
    assert "missing 'Continue'" in result.output


def test_check_catches_a_fuzzy_entry(runner, tmp_path):
    path = complete_catalogue(tmp_path, "ko", copy_template(tmp_path))
    _edit(path, lambda catalog: catalog.get("Continue").flags.add("fuzzy"))
    result = _check(runner, tmp_path)
    assert result.exit_code == 1
    assert "fuzzy 'Continue'" in result.output


def test_check_reports_a_draft_locale_without_failing(app, runner, tmp_path):
    path = complete_catalogue(tmp_path, "ko", copy_template(tmp_path))
    _edit(path, lambda catalog: setattr(catalog.get("Continue"), "string", ""))
    app.config["LANGUAGES_DRAFT"] = ("ko",)
    app.config["LANGUAGES"] = {"ko": "한국어"}
    app.config["FURIGANA"] = {}
    result = runner.invoke(args=["intake", "i18n", "check", "--directory", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "draft, not failed" in result.output


def test_update_starts_new_languages_and_flags_changed_source(app, runner, tmp_path):
    """A new prompt shows up untranslated everywhere; a reworded one keeps its translation, fuzzy, with the old English."""
    template = copy_template(tmp_path)
    complete_catalogue(tmp_path, "ko", template)
    # The source changes: one prompt reworded (same context), one new prompt.
    welcome = template.get(
        next(m.id for m in template if m.context == "self_reliance:welcome"), context="self_reliance:welcome"
    )
    old_text = welcome.id
    template.delete(old_text, context="self_reliance:welcome")
    template.add("Welcome. This is a completely rewritten greeting.", context="self_reliance:welcome")
    template.add("A brand new question?", context="self_reliance:brand_new")
    catalogues.write(template, tmp_path / "messages.pot")
    app.config["LANGUAGES"] = {"ko": "한국어", "th": "ไทย"}
    result = runner.invoke(args=["intake", "i18n", "update", "--directory", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "th" / "LC_MESSAGES" / "messages.po").exists()  # a new language gets its catalogue
    korean = catalogues.read(tmp_path / "ko" / "LC_MESSAGES" / "messages.po")
    reworded = korean.get("Welcome. This is a completely rewritten greeting.", context="self_reliance:welcome")
    assert reworded.fuzzy and reworded.string == old_text
    assert catalogues.previous_source(reworded) == old_text
    assert korean.get("A brand new question?", context="self_reliance:brand_new").string == ""
    status = catalogues.status(catalogues.read(tmp_path / "messages.pot"), tmp_path, "ko")
    assert (status.fuzzy, status.changed, status.untranslated) == (1, 1, 1)
    thai = catalogues.status(catalogues.read(tmp_path / "messages.pot"), tmp_path, "th")
    assert thai.translated == 0 and thai.untranslated == thai.total
    table = runner.invoke(args=["intake", "i18n", "status", "--directory", str(tmp_path)])
    assert table.exit_code == 0, table.output
    assert any(line.startswith("ko ") and " 1 " in line for line in table.output.splitlines())
    assert any(line.startswith("th ") and "0.0%" in line for line in table.output.splitlines())


def test_status_lists_every_configured_locale(runner):
    result = runner.invoke(args=["intake", "i18n", "status"])
    assert result.exit_code == 0, result.output
    for locale in Defaults.LANGUAGES:
        assert any(line.split()[0] == locale for line in result.output.splitlines()[1:-1]), locale


def test_catalogue_check_without_translate_toolkit_says_what_to_install(monkeypatch, tmp_path):
    # translate-toolkit is the translators extra, not a runtime dependency.
    monkeypatch.setitem(sys.modules, "translate.filters", None)
    po = tmp_path / "messages.po"
    po.write_text('msgid ""\nmsgstr ""\n', encoding="utf-8")
    with pytest.raises(RuntimeError, match=r"translate-toolkit.*\[translators\]"):
        catalogues._toolkit_failures(po)
