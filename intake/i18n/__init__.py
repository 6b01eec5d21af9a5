"""Locale selection and the translated view of dialogue data (prompts, options, answers, dates).

The engine hands out English source text with a message context; this module turns it into the
viewer's language with gettext, so a missing translation falls back to English, never a blank
(Easy Japanese falls back to Japanese first: see LANGUAGE_FALLBACKS). On the kiosk, Japanese text
gets the furigana stored in `readings.po` (see readings.py); nothing is guessed at request time.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton
from babel.lists import format_list
from babel.support import NullTranslations, Translations
from flask import Flask, current_app, g, has_app_context, has_request_context, request, session
from flask_babel import Domain, get_locale, get_translations, gettext, pgettext
from jinja2 import pass_context
from markupsafe import Markup, escape

from ..domain.answers import N_, Month
from ..domain.dialogue import Option, Step
from ..domain.engine import Engine
from ..domain.plan import Goal, goal_text, is_japanese
from ..domain.programs import AREAS, BARRIERS, why
from ..domain.step_kinds import kind_of
from ..extensions import babel
from . import readings
from .catalogues import STAFF_DOMAIN, STAFF_LOCALES  # staff-only strings: their own domain, Japanese only
from .date_fields import date_fields, date_order

CASEWORKER_LOCALE = "ja"
STAFF_PAGES_FLAG = "staff_pages"
FURIGANA_SESSION_KEY = "furigana"
# Blueprints whose pages are read by the recipient, so Japanese text gets furigana.
# kiosk_code re-renders the landing page after a bad code; translator shows one kiosk screen (its own pages are English)
FURIGANA_BLUEPRINTS = {"kiosk", "kiosk_code", "translator"}
FURIGANA_CHOICE = (
    "furigana_choice"  # on `g`: a choice for this page only (the translator's preview), before the session's
)
# On `g`: the translations found for this request (FallbackDomain.get_translations).
_TRANSLATIONS_FOUND = "yorisoi_translations"
_RUBY_PARTS = re.compile(r"<rt>.*?</rt>")
_LANG_SPAN = re.compile(r'<span lang="[^"]*" class="untranslated">')


class FallbackDomain(Domain):
    """Flask-Babel's domain with a fallback chain: locale → LANGUAGE_FALLBACKS[locale] → English source."""

    def get_translations(self):
        if not has_app_context():
            return NullTranslations()
        # A step looks up a dozen strings: the chain found first is kept for the request, for this domain, locale
        # (the object get_locale() keeps until refresh() or force_locale() changes it) and kind of page.
        locale = get_locale()
        staff = has_request_context() and g.get(STAFF_PAGES_FLAG, False)
        found = g.get(_TRANSLATIONS_FOUND)
        if found and found[0] is self and found[1] is locale and found[2] == staff:
            return found[3]
        translations = self._chain()
        setattr(g, _TRANSLATIONS_FOUND, (self, locale, staff, translations))
        return translations

    def _chain(self):
        locale = str(get_locale())
        staff = locale in STAFF_LOCALES and has_request_context() and g.get(STAFF_PAGES_FLAG, False)
        key = (locale, self.domain[0], staff)
        if key not in self.cache:
            chain = [locale]
            fallbacks = current_app.config.get("LANGUAGE_FALLBACKS", {})
            while chain[-1] in fallbacks and fallbacks[chain[-1]] not in chain:
                chain.append(fallbacks[chain[-1]])
            translations = None
            for name in chain:
                for dirname in self.translation_directories:
                    catalog = Translations.load(dirname, [name], self.domain[0])
                    if translations is None:
                        translations = catalog
                    else:
                        translations.add_fallback(catalog)
            translations = translations or NullTranslations()
            if staff:  # staff pages: the staff catalogue first, then what recipients read (shared strings)
                for dirname in self.translation_directories:
                    staff_catalog = Translations.load(dirname, [locale], STAFF_DOMAIN)
                    staff_catalog.add_fallback(translations)
                    translations = staff_catalog
            self.cache[key] = translations
        return self.cache[key]


def use_staff_catalogue() -> None:
    """This request renders a staff page: look strings up in the staff domain before the recipients' one."""
    g.setdefault(STAFF_PAGES_FLAG, True)  # the chain kept so far (the recipients' catalogue alone) is not used again


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
    # Flask-Babel makes its domain on first use; ours adds the Easy Japanese → Japanese fallback.
    babel.domain_instance = FallbackDomain(domain=app.config.get("BABEL_DOMAIN", "messages"))
    # Page strings in templates get furigana on the kiosk, like dialogue text does, and a translation
    # that does not format (a broken placeholder `check` would have caught) shows the English instead.
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: with_ruby(get_translations().ugettext(s)),
        ngettext=lambda s, p, n: with_ruby(get_translations().ungettext(s, p, n)),
        pgettext=lambda c, s: with_ruby(get_translations().upgettext(c, s)),
        npgettext=lambda c, s, p, n: with_ruby(get_translations().unpgettext(c, s, p, n)),
        newstyle=True,
    )
    app.jinja_env.globals.update(_=_template_gettext, gettext=_template_gettext, pgettext=_template_pgettext)
    app.jinja_env.filters["plain"] = plain
    app.jinja_env.globals.update(
        html_lang=lambda code=None: bcp47(code or str(get_locale())),
        furigana_hidden=furigana_hidden,
        furigana_shown=furigana_shown,
        furigana_toggle=lambda: furigana_locale() is not None and request.blueprint in FURIGANA_BLUEPRINTS,
        tr=translate,
        step_text=step_text,
        step_help=step_help,
        section_title=section_title,
        option_label=option_label,
        option_help=option_help,
        answer_text=answer_text,
        format_day=format_day,
        date_fields=date_fields,
        date_order=date_order,
        problem_text=problem_text,
        ruby=with_ruby,
        plan_goal=plan_goal,
        paragraphs=paragraphs,
        language_names=offered_languages,
        current_locale=lambda: str(get_locale()),
    )


def formatted(translated: str, source: str, variables: Mapping[str, object]) -> str:
    """`translated % variables`, or the English source if the translation's placeholders are broken."""
    try:
        return translated % variables
    except (KeyError, ValueError, TypeError):
        current_app.logger.warning("translation of %r does not format; showing the source", source)
        if isinstance(translated, Markup):
            source = Markup(source)  # as Jinja treats an untranslated template string
        return source % variables


@pass_context
def _template_gettext(__context, __string: str, **variables) -> str:
    """Jinja's newstyle `_()`: translate, add furigana, then format, falling back to the source."""
    translated = with_ruby(get_translations().ugettext(__string))
    if __context.eval_ctx.autoescape:
        translated = Markup(translated)
    return formatted(translated, __string, variables)


@pass_context
def _template_pgettext(__context, __msgctxt: str, __string: str, **variables) -> str:
    translated = with_ruby(get_translations().upgettext(__msgctxt, __string))
    if __context.eval_ctx.autoescape:
        translated = Markup(translated)
    return formatted(translated, __string, variables)


# Where the request's office says which languages it offers: web/offices.py puts it here (the office may offer
# fewer than the installation, its record's `languages`; None: every one).
OFFICE_LANGUAGES = "yorisoi.office_languages"


def offered_languages() -> dict[str, str]:
    """The kiosk's languages by their own names, without those whose catalogue is still a draft."""
    draft = set(current_app.config.get("LANGUAGES_DRAFT", ()))
    office_languages = current_app.extensions.get(OFFICE_LANGUAGES)
    offered = office_languages() if has_request_context() and office_languages is not None else None
    return {
        code: name
        for code, name in current_app.config["LANGUAGES"].items()
        if code not in draft and (offered is None or code in offered)
    }


def select_locale() -> str:
    """The page's language: set by the view (an intake's locale, or Japanese for staff), else the browser's, else the kiosk default."""
    chosen = getattr(g, "locale", None)
    if chosen:
        return chosen
    return header_locale(request.accept_languages, offered_languages()) or current_app.config["KIOSK_DEFAULT_LOCALE"]


def header_locale(accepted, offered: Mapping[str, str]) -> str | None:
    """The first Accept-Language entry we can serve: exactly, else by language ('zh-TW' → zh_Hans, 'tl' → fil)."""
    by_language: dict[str, str] = {}
    for code in offered:
        parsed = Locale.parse(code)
        if not parsed.modifier:  # Easy Japanese is chosen at the kiosk, never implied by a header
            by_language.setdefault(parsed.language, code)
    for value, _quality in accepted:
        try:
            parsed = Locale.parse(value.replace("-", "_"))
        except (ValueError, UnknownLocaleError):
            continue
        if str(parsed) in offered:
            return str(parsed)
        if parsed.language in by_language:
            return by_language[parsed.language]
    return None


def known_locale(locale: str | None, *, preview: bool = False) -> str:
    """An offered locale (any configured one for a preview), or the kiosk default for anything unknown (never an error page)."""
    languages = current_app.config["LANGUAGES"] if preview else offered_languages()
    return locale if isinstance(locale, str) and locale in languages else current_app.config["KIOSK_DEFAULT_LOCALE"]


def bcp47(locale: str) -> str:
    """A locale id as HTML's lang attribute wants it: zh_Hans → zh-Hans; Easy Japanese is Japanese text."""
    return locale.split("@")[0].replace("_", "-")


def second_language(locale: str | None) -> bool:
    """Whether a paper printed for a recipient who reads `locale` carries their language beside the official Japanese:
    every language but Japanese itself. Easy Japanese (ja@easy) is a language of its own here: its reader takes home
    the same words in Easy Japanese beside the office's Japanese, as on every paper they receive."""
    if not locale:
        return False
    return locale == "ja@easy" or not is_japanese(locale)


# -- Furigana -----------------------------------------------------------------------------------------


def furigana_locale() -> str | None:
    """The current locale if its pages can show furigana, else None."""
    locale = str(get_locale())
    return locale if locale in current_app.config.get("FURIGANA", {}) else None


def furigana_shown() -> bool:
    """The recipient's choice this session, else the locale's default (on for Easy Japanese)."""
    locale = furigana_locale()
    if locale is None:
        return False
    choice = g.get(FURIGANA_CHOICE, session.get(FURIGANA_SESSION_KEY))
    return bool(current_app.config["FURIGANA"][locale] if choice is None else choice)


def furigana_hidden() -> bool:
    """Whether <body> gets the `no-furigana` class, which hides <rt> (CSS): a script can flip it in place."""
    return furigana_locale() is not None and request.blueprint in FURIGANA_BLUEPRINTS and not furigana_shown()


def _ruby_tables() -> list[Mapping[str, Markup]]:
    """The readings that apply to this page (looked up once per request and locale: a page asks often)."""
    if not has_request_context() or request.blueprint not in FURIGANA_BLUEPRINTS:
        return []
    locale = furigana_locale()
    if locale is None:
        return []
    cached = g.get("_ruby_tables")
    if cached is not None and cached[0] == locale:
        return cached[1]
    translations = Path(current_app.config["BABEL_TRANSLATION_DIRECTORIES"].split(";")[0])
    chain = [locale]
    fallback = current_app.config.get("LANGUAGE_FALLBACKS", {}).get(locale)
    if fallback:
        chain.append(fallback)  # a string Easy Japanese borrows from Japanese keeps its readings
    tables = [readings.table(translations, name) for name in chain]
    g._ruby_tables = (locale, tables)
    return tables


def with_ruby(text: str) -> str:
    """A translated text with its stored furigana as <ruby> markup, on the recipient's pages; else unchanged."""
    if not text:
        return text
    for table in _ruby_tables():
        if text in table:
            return table[text]
    return text


def message(text: str, **params) -> str:
    """A message for the person at the screen (an error, a notice): translated, with its furigana on the
    kiosk, then filled in; the values are escaped when the text carries <ruby>. Elsewhere plain text."""
    translated = with_ruby(get_translations().ugettext(text))
    return formatted(translated, text, params) if params else translated


def plural_message(singular: str, plural: str, number: int, **params) -> str:
    """`message` for a text with plural forms; %(num)s is the number."""
    translated = with_ruby(get_translations().ungettext(singular, plural, number))
    return formatted(translated, singular if number == 1 else plural, {"num": number, **params})


def plain(text: str) -> str:
    """Text for places that cannot hold markup (a <title>, an attribute, a <textarea>): readings removed."""
    if isinstance(text, Markup) and "<ruby>" in text:
        # What remains is the escaped text alone, so it stays Markup (no double escaping).
        text = Markup(_RUBY_PARTS.sub("", str(text)).replace("<ruby>", "").replace("</ruby>", ""))
    if isinstance(text, Markup) and '<span lang="' in text:  # an untranslated office text (_office_text)
        return Markup(_LANG_SPAN.sub("", str(text)).replace("</span>", ""))
    return text


def use_program_texts(texts: Mapping[str, Mapping[str, str]] | None) -> None:
    """This request's office keeps its own program texts (context → locale → text): `translate` reads them
    instead of the gettext catalogues, which hold only programs.yaml's texts."""
    g.yorisoi_program_texts = texts


def translate(context: str, text: str) -> str:
    if not text:
        return ""
    own = g.get("yorisoi_program_texts") if has_request_context() else None
    if own is not None and context in own:
        return _office_text(own[context], text)
    return with_ruby(pgettext(context, text))


def _office_text(texts: Mapping[str, str], text: str) -> str:
    """An office's own program text in the viewer's language; until it is translated, the English or the office's
    Japanese, marked with its language on the recipient's pages (never a blank)."""
    locale = str(get_locale())
    chain = [locale]
    fallbacks = current_app.config.get("LANGUAGE_FALLBACKS", {})
    while chain[-1] in fallbacks and fallbacks[chain[-1]] not in chain:
        chain.append(fallbacks[chain[-1]])
    shown = next((code for code in [*chain, "en", "ja"] if texts.get(code)), None)
    if shown is None:
        return with_ruby(text)
    found = with_ruby(texts[shown])
    if bcp47(shown) == bcp47(locale) or request.blueprint not in FURIGANA_BLUEPRINTS:
        return found
    return Markup('<span lang="%s" class="untranslated">%s</span>') % (bcp47(shown), found)


def step_text(engine: Engine, step: Step, part: str = "prompt") -> str:
    """A step's prompt, help or scale label in the viewer's language."""
    source = getattr(step, part)
    context = engine.dialogue.context(step.id) if part == "prompt" else engine.dialogue.context(step.id, part)
    return translate(context, source)


def step_help(engine: Engine, step: Step, answers: Mapping[str, object] | None = None) -> str:
    """A step's help text in the viewer's language, the variant that fits the earlier answers."""
    parts, source = step.help_for(answers or {})
    return translate(engine.dialogue.context(step.text_key, *parts), source)


def section_title(engine: Engine, section) -> str:
    return translate(engine.dialogue.context("section", section.id), section.title)


def option_label(option: Option) -> str:
    return translate(option.context, option.label) if option.context else option.label


def option_short(option: Option) -> str:
    """The phrase that stands for an option inside a reflecting prompt (its label when it has none)."""
    return translate(option.short_context, option.short) if option.short else option_label(option)


def option_help(option: Option) -> str:
    return translate(option.help_context, option.help) if option.help_context else option.help


def suggestion_reason(engine: Engine, option: Option, answers: Mapping[str, object]) -> str:
    """Why a program's first step is offered to the recipient, in their language from their own answers: the
    barriers they named, else the areas they want to improve, else their situation ("" for any other option)."""
    if not option.reasons:
        return ""
    reasons = why(option.reasons)

    def shorts(field: str, ids: Sequence[str]) -> list[str]:
        step_id = engine.dialogue.produces.step(field)
        step = engine.dialogue.steps.get(step_id) if step_id else None
        by_id = {o.id: o for o in (step.options if step else ())}
        return [option_short(by_id[i]) for i in ids if i in by_id]

    named = shorts(BARRIERS, reasons.barriers)
    if named:
        # i18n: Under a suggested first step at the kiosk: the barriers the recipient named that the program is for.
        return message(N_("Suggested because of what you said is hard: %(barriers)s."), barriers=joined(named))
    areas_step = engine.dialogue.produces.step(AREAS)
    areas = shorts(AREAS, [r.answer for r in reasons.answers if r.step == areas_step])
    if areas:
        # i18n: Under a suggested first step at the kiosk: the parts of life the recipient wants to improve.
        return message(N_("Suggested because you would like things to get better in: %(areas)s."), areas=joined(areas))
    if reasons.answers:
        # i18n: Under a suggested first step at the kiosk, when it fits the recipient's answers about their situation.
        return message(N_("Suggested because of what you told us about your situation."))
    return ""


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.split("\n") if p.strip()]


def format_day(value: str | date | None, kind: str = "date") -> str:
    """A stored 'YYYY-MM-DD' or 'YYYY-MM' in the viewer's locale."""
    if not value:
        return ""
    day = value if isinstance(value, date) else date.fromisoformat(value + "-01" if kind == "month" else value)
    locale = str(get_locale())
    if kind == "month":
        return format_skeleton("yMMMM", day, locale=locale)
    return format_date(day, format="long", locale=locale)


def _plain_label(option: Option) -> str:
    """An option's label as text inside a sentence (no furigana markup)."""
    return pgettext(option.context, option.label) if option.context else option.label


def problem_text(problem) -> str:
    """An answer problem's message in the viewer's language (with furigana on the kiosk): dates formatted for the
    locale, options by their label."""
    params = {
        k: format_day(v.first, "month")
        if isinstance(v, Month)
        else format_day(v)
        if isinstance(v, date)
        else _plain_label(v)
        if isinstance(v, Option)
        else v
        for k, v in problem.params.items()
    }
    if getattr(problem, "plural", ""):
        count = problem.params.get(problem.count, 1)
        number = count if isinstance(count, int) else 1
        translated = with_ruby(get_translations().ungettext(problem.message, problem.plural, number))
        return formatted(translated, problem.message if number == 1 else problem.plural, params)
    return formatted(with_ruby(get_translations().ugettext(problem.message)), problem.message, params)


def joined(items: list[str]) -> str:
    if not items:
        return ""
    if any(isinstance(item, Markup) for item in items):  # furigana: escape the rest, keep the <ruby>
        return Markup(format_list([escape(item) for item in items], locale=str(get_locale())))
    return format_list(items, locale=str(get_locale()))


class _Shown:
    """Display text in the viewer's language, for the step kinds' `show` functions."""

    def __init__(self, engine: Engine, answers: Mapping[str, object]):
        self.engine, self.answers = engine, answers

    def choices(self, step: Step, ids: list[str]) -> str:
        return joined(_choice_labels(self.engine, step, self.answers, ids))

    def scale(self, value: int) -> str:
        # i18n: How a 0-10 scale answer is shown on the check page and the plan.
        return formatted(gettext("%(value)s out of 10"), "%(value)s out of 10", {"value": value})

    def day(self, value: str, kind: str) -> str:
        return format_day(value, kind)


def _choice_labels(engine: Engine, step: Step, answers: Mapping[str, object], ids: list[str]) -> list[str]:
    by_id = {o.id: o for o in engine.options(step, answers)}
    labels = [option_label(by_id[i]) if i in by_id else i for i in ids]
    if kind_of(step).name == "language":
        return [_language_in_viewers_words(code, label) for code, label in zip(ids, labels, strict=True)]
    return labels


def _language_in_viewers_words(code: str, own_name: str) -> str:
    """A chosen language as the viewer reads it: by its own name (the language list's label) to a reader of it, else
    by its name in the viewer's language (ネパール語 in the Japanese beneath a Nepali page), as Babel knows it."""
    viewer = str(get_locale())
    if code == viewer or "@" in code:  # Babel has no name for Easy Japanese: its own name is Japanese already
        return own_name
    return language_name_in(code, viewer) or own_name


def language_name_in(code: str, viewer: str) -> str | None:
    """Babel's name of the language `code` in the language `viewer` reads (Japanese with full-width brackets:
    ポルトガル語（ブラジル）); None when Babel cannot name it."""
    try:
        name = Locale.parse(code).get_display_name(Locale.parse(viewer.split("@")[0]))
    except (ValueError, TypeError, UnknownLocaleError):
        return None
    if name and is_japanese(viewer):
        return name.replace(" (", "（").replace(")", "）")
    return name or None


def answer_lines(engine: Engine, step: Step, answers: Mapping[str, object]) -> list[str]:
    """A multi-choice answer as its labels, one a line on the check page: labels are often whole sentences, and
    joined into one run they read as one long sentence to a slow reader. Empty for any other answer."""
    value = answers.get(step.id)
    if not kind_of(step).choices or not isinstance(value, list) or len(value) < 2:
        return []
    return _choice_labels(engine, step, answers, value)


def answer_text(engine: Engine, step: Step, answers: Mapping[str, object]) -> str | list:
    """One stored answer as the viewer reads it: labels from ids, free text verbatim."""
    if step.id not in answers:
        return ""
    value = answers[step.id]
    if value is None:  # a sensitive question has "Prefer not to say"; an optional one is only skipped
        if step.sensitive:
            # i18n: On the check page and the plan: the recipient chose not to answer a sensitive question.
            return gettext("Skipped (prefer not to say)")
        # i18n: On the check page and the plan: the recipient left an optional question out.
        return gettext("Skipped")
    return kind_of(step).show(step, value, _Shown(engine, answers))


def plan_goal(engine: Engine, goal: Goal) -> str:
    """A draft's goal sentence: a chosen suggestion in the viewer's language, or the recipient's own words."""
    chosen = goal_text(engine, goal)
    return translate(*chosen) if chosen else (goal.own.text if goal.own else "")


def reflected_prompt(engine: Engine, step: Step, answers: Mapping[str, object]) -> str:
    """A reflecting prompt with the recipient's earlier answers filled in, in the viewer's language."""
    text = step_text(engine, step)
    if not step.reflect:
        return text
    values = {}
    for name, items in engine.reflected(step, answers).items():
        values[name] = joined([option_short(i) if isinstance(i, Option) else i for i in items]) or "—"
    try:
        return text % values
    except (KeyError, ValueError, TypeError):  # a broken translation must not break the page
        return step.prompt % values
