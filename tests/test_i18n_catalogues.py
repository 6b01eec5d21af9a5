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
    """CI runs `check` here: every shipped locale 100% translated, no fuzzy, no broken placeholder or reading.

    Recipient languages against messages.pot; the staff domain in Japanese only.
    """
    for domain in catalogues.DOMAINS:
        template = catalogues.read(TRANSLATIONS / f"{domain}.pot")
        for locale in catalogues.domain_locales(domain, shipped_locales()):
            furigana = locale in Defaults.FURIGANA and domain == "messages"
            report = catalogues.check(template, TRANSLATIONS, locale, shipped=True, furigana=furigana, domain=domain)
            assert report.errors == [], (locale, domain, report.errors)
            status = catalogues.status(template, TRANSLATIONS, locale, furigana=furigana, domain=domain)
            assert status.translated == status.total, (locale, domain, status)
    assert catalogues.domain_locales("staff", shipped_locales()) == ["ja"]
    assert "en" not in catalogues.domain_locales("messages", shipped_locales())


def test_staff_strings_are_not_asked_of_recipient_translators():
    """A caseworker-only sentence is in staff.pot and ja/staff.po, never in messages.pot or a recipient catalogue."""
    staff_only = "This case is assigned to another caseworker. Only they and their supervisor can open it."
    recipients = catalogues.read(TRANSLATIONS / "messages.pot")
    staff = catalogues.read(TRANSLATIONS / "staff.pot")
    assert recipients.get(staff_only) is None
    assert staff.get(staff_only) is not None
    assert catalogues.read(catalogues.po_path(TRANSLATIONS, "ko")).get(staff_only) is None
    assert catalogues.read(catalogues.po_path(TRANSLATIONS, "ja", "staff")).get(staff_only).string
    assert not catalogues.po_path(TRANSLATIONS, "ko", "staff").exists()
    # A string the kiosk shows, though a caseworker service raises it, stays with the recipients.
    assert recipients.get("This code has expired. Please ask at the counter for a new one.") is not None
    # No staff template left a string in the recipients' template.
    assert not [
        m.id
        for m in recipients
        if any(f.startswith("templates/caseworker/") for f, _ in m.locations)
        and all(f.startswith("templates/caseworker/") for f, _ in m.locations)
    ]


def test_check_command_passes_on_the_shipped_catalogues(runner):
    result = runner.invoke(args=["intake", "i18n", "check"])
    assert result.exit_code == 0, result.output


def _check(runner, directory, locale="ko"):
    return runner.invoke(args=["intake", "i18n", "check", "--directory", str(directory), "--locale", locale])


def _line_of(path, msgid):
    """The line of a msgid in a .po, as a translator's editor shows it."""
    return next(m.lineno for m in catalogues.read(path) if m.id == msgid)


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
        catalog.get("Between %(earliest)s and %(latest)s.").string = "%(start)s부터 %(latest)s까지"

    _edit(path, breaks)
    result = _check(runner, tmp_path)
    assert result.exit_code == 1
    line = _line_of(path, "Between %(earliest)s and %(latest)s.")
    assert f"ko/LC_MESSAGES/messages.po:{line}: 'Between %(earliest)s and %(latest)s.'" in result.output
    assert "the placeholders do not match the English (unknown named placeholder 'start')" in result.output
    assert (
        "'Section %(number)s of %(total)s': the translation does not work on the page: a % sign is not followed"
        in result.output
    )
    assert "Section %(number)s of %(total)s" in result.output
    assert "keep every placeholder of the English" in result.output
    assert "0x20" not in result.output and "index" not in result.output  # no Python error text


def test_check_catches_a_stray_percent_in_a_template_string(runner, tmp_path):
    path = complete_catalogue(tmp_path, "ko", copy_template(tmp_path))
    _edit(path, lambda catalog: setattr(catalog.get("Continue"), "string", "100% 계속"))
    result = _check(runner, tmp_path)
    assert result.exit_code == 1
    assert (
        f"messages.po:{_line_of(path, 'Continue')}: 'Continue': the translation does not work on the page"
        in result.output
    )
    assert "write %% for a percent sign" in result.output


def test_check_catches_mismatched_markup(runner, tmp_path):
    path = complete_catalogue(tmp_path, "ko", copy_template(tmp_path))
    _edit(path, lambda catalog: setattr(catalog.get("Continue"), "string", "<b>계속"))
    result = _check(runner, tmp_path)
    assert result.exit_code == 1
    assert f"messages.po:{_line_of(path, 'Continue')}:" in result.output
    assert "the HTML tags differ from the English" in result.output


def test_check_catches_a_missing_translation(runner, tmp_path):
    path = complete_catalogue(tmp_path, "ko", copy_template(tmp_path))
    _edit(path, lambda catalog: setattr(catalog.get("Continue"), "string", ""))
    result = _check(runner, tmp_path)
    assert result.exit_code == 1
    assert (
        f"messages.po:{_line_of(path, 'Continue')}: 'Continue' has no translation — write it in msgstr" in result.output
    )


def test_check_catches_a_string_missing_from_the_catalogue(runner, tmp_path):
    path = complete_catalogue(tmp_path, "ko", copy_template(tmp_path))
    _edit(path, lambda catalog: catalog.delete("Continue"))
    result = _check(runner, tmp_path)
    assert result.exit_code == 1
    assert "messages.pot:" in result.output
    assert (
        "'Continue' is new in the English and not in messages.po yet — run `flask intake i18n update`" in result.output
    )


def test_check_catches_a_fuzzy_entry(runner, tmp_path):
    path = complete_catalogue(tmp_path, "ko", copy_template(tmp_path))
    _edit(path, lambda catalog: catalog.get("Continue").flags.add("fuzzy"))
    result = _check(runner, tmp_path)
    assert result.exit_code == 1
    assert f"messages.po:{_line_of(path, 'Continue')}: 'Continue' is marked fuzzy" in result.output
    assert "remove the fuzzy flag" in result.output


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
    written = (tmp_path / "ko" / "LC_MESSAGES" / "messages.po").read_text()
    previous_lines = [line for line in written.splitlines() if line.startswith("#| ")]
    assert previous_lines[0] == '#| msgid ""' and old_text[:40] in previous_lines[1]  # gettext's own layout
    assert "previous source" not in written
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
        assert any(line.split()[:1] in ([locale], [locale + ":"]) for line in result.output.splitlines()), locale
    assert "en: the source language" in result.output
    assert "messages (what recipients read)" in result.output
    assert "staff (what only staff read)" in result.output
    staff_table = result.output.split("staff (what only staff read)")[1].split("en: the source language")[0]
    assert [line.split()[0] for line in staff_table.splitlines()[2:] if line.strip() and "%" in line] == ["ja"]
    # Easy Japanese: how hard its strings read, and the hardest named for a rewrite.
    assert "ja@easy readability (jReadability, higher is easier):" in result.output
    assert "hard (under 2.5)" in result.output


def test_adding_one_string_changes_a_few_lines_per_catalogue(app, runner, tmp_path):
    """No line numbers in references: a new string shifts nothing else, so a translator's diff stays small."""
    import difflib
    import shutil

    template = copy_template(tmp_path)
    (tmp_path / "ko" / "LC_MESSAGES").mkdir(parents=True)
    shutil.copy(catalogues.po_path(TRANSLATIONS, "ko"), catalogues.po_path(tmp_path, "ko"))
    app.config["LANGUAGES"] = {"ko": "한국어"}
    assert runner.invoke(args=["intake", "i18n", "update", "--directory", str(tmp_path)]).exit_code == 0
    before = catalogues.po_path(tmp_path, "ko").read_text().splitlines()
    template.add("A brand new sentence on a page.", locations=[("templates/kiosk/step.html", None)])
    catalogues.write_template(template, tmp_path / "messages.pot")
    assert runner.invoke(args=["intake", "i18n", "update", "--directory", str(tmp_path)]).exit_code == 0
    after = catalogues.po_path(tmp_path, "ko").read_text().splitlines()
    changed = [line for line in difflib.unified_diff(before, after, lineterm="", n=0) if line[:1] in "+-"]
    changed = [line for line in changed if not line.startswith(("+++", "---"))]
    assert len(changed) <= 5, changed
    assert not any(":" in line.split(" ", 1)[-1] for line in after if line.startswith("#: "))  # no line numbers


def test_check_verifies_every_plural_form(runner, tmp_path):
    """Spanish has three plural forms (its Plural-Forms header): each must be written and keep its placeholder."""
    template = copy_template(tmp_path)
    plural = next(m for m in template if isinstance(m.id, tuple))
    path = complete_catalogue(tmp_path, "es", template)

    def forms(catalog, strings):
        for message in catalog:  # every other plural string complete, with Spanish's three forms
            if isinstance(message.id, tuple):
                message.string = (message.id[0], message.id[1], message.id[1])
        catalog.get(plural.id[0]).string = strings

    singular, many = plural.id
    _edit(path, lambda catalog: forms(catalog, (singular, many, many)))
    assert _check(runner, tmp_path, "es").exit_code == 0
    _edit(path, lambda catalog: forms(catalog, (singular, "", many)))
    result = _check(runner, tmp_path, "es")
    assert result.exit_code == 1
    assert f"es/LC_MESSAGES/messages.po:{_line_of(path, plural.id)}:" in result.output
    assert "plural form msgstr[1] is empty" in result.output
    _edit(path, lambda catalog: forms(catalog, (singular, many, "100% minutos")))
    result = _check(runner, tmp_path, "es")
    assert "the translation (plural form msgstr[2]) does not work on the page" in result.output


def test_every_recipient_string_tells_the_translator_where_it_is():
    """A msgctxt or a translator comment (`# i18n:` in Python, `{# i18n: #}` in a template) on every recipient string."""
    template = catalogues.read(TRANSLATIONS / "messages.pot")
    bare = [m.id for m in template if m.id and not m.context and not m.auto_comments]
    assert bare == [], f"add a translator comment, then `make extract`: {bare}"


def test_catalogue_check_without_translate_toolkit_says_what_to_install(monkeypatch, tmp_path):
    # translate-toolkit is the translators extra, not a runtime dependency.
    monkeypatch.setitem(sys.modules, "translate.filters", None)
    po = tmp_path / "messages.po"
    po.write_text('msgid ""\nmsgstr ""\n', encoding="utf-8")
    with pytest.raises(RuntimeError, match=r"translate-toolkit.*\[translators\]"):
        catalogues._toolkit_failures(po)


def test_counts_on_recipient_pages_take_the_plural_form_for_the_number(app):
    """The text limit and the receipt code's hours are plurals: one character, 400 characters, in each form."""
    from flask_babel import force_locale, ngettext

    limit = ("Up to %(max)s character.", "Up to %(max)s characters.")
    with app.test_request_context():
        for locale, one, many in (
            ("es", "Hasta 1 carácter.", "Hasta 400 caracteres."),
            ("pt_BR", "Até 1 caractere.", "Até 400 caracteres."),
            ("en", "Up to 1 character.", "Up to 400 characters."),
        ):
            with force_locale(locale):
                assert ngettext(*limit, 1, max=1) == one
                assert ngettext(*limit, 400, max=400) == many
        with force_locale("es"):
            assert ngettext(*limit, 1_000_000, max=1_000_000) == "Hasta 1000000 de caracteres."  # CLDR's "many"


def test_no_page_string_shows_a_count_without_a_plural_form():
    """A `%(count)s`, `%(max)s`, `%(min)s`, `%(hours)s` … beside a noun must be a plural (msgid_plural)."""
    counted = ("%(count)s", "%(max)s", "%(min)s", "%(num)s", "%(hours)s", "%(minutes)s", "%(days)s")
    # A count after a label and a colon reads the same for any number ("Waiting: 3").
    labels = ("Waiting: %(count)s", "Open cases assigned to this account: %(count)s", "Open cases moved to %(name)s: %(count)s.")
    for name in ("messages.pot", "staff.pot"):
        singular = [
            m.id
            for m in catalogues.read(TRANSLATIONS / name)
            if isinstance(m.id, str) and any(c in m.id for c in counted) and m.id not in labels
        ]
        assert singular == [], name
