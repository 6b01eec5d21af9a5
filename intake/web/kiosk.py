"""The recipient's pages at the kiosk: server-rendered forms that work with JavaScript off.

Each POST parses the form, lets the engine move through `conversations`, and redirects
(post/redirect/get); a rejected answer re-renders the same question with the message and the
recipient's input, and nothing is stored. static/kiosk.js enhances these same pages (it posts these
same forms in the background and swaps in the page that comes back) and adds the idle reset; every
action here also works without it. What a step shows is built by step_view.py, as for the API.

The kiosk is shared: a reset, "Exit this page" and "Finish" all end the kiosk session and retire the
intake's token, so nothing on this screen can be read again; an unfinished intake resumes only with
its receipt code.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import force_locale, get_locale, refresh

from ..domain.answers import N_, AnswerInvalid, Nn_
from ..domain.engine import NotAllowed, StaleStep
from ..domain.step_counts import EXIT, IDLE
from ..extensions import csrf
from ..i18n import (
    FURIGANA_SESSION_KEY,
    answer_text,
    furigana_shown,
    known_locale,
    message,
    plural_message,
    reflected_prompt,
)
from ..records import Intake, IntakeStatus, utcnow
from ..security import rate_limit
from ..services import conversations
from ..unit_of_work import stale_page
from .common import intake_engine, no_store, office_today, remember_sent, sent_receipt
from .offices import kiosk_may_serve, setting, settled, walk_in_allowed
from .step_view import answer_from_form, step_view

bp = Blueprint("kiosk", __name__, url_prefix="/kiosk")
SESSION_KEY = "intake"
SCREEN_KEY = "resume_screen"  # counts this kiosk session's wrong receipt codes
CODE_KNOWN_KEY = "code_known"  # the person at this screen resumed with their receipt code
DISPLAY_KEY = "display"
# The language a submitted intake's done page is shown in: display only, the record keeps its own.
DONE_LOCALE_KEY = "done_locale"
TEXT_SIZES = ("standard", "large", "larger")
# The side-by-side (対訳) display: each question, option and answer with this language beneath, for a caseworker
# or an interpreter sitting beside the recipient.
SIDE_BY_SIDE_LOCALE = "ja"
SWAP_HEADER = "X-Kiosk-Swap"  # sent by kiosk.js with an answer: reply with the next question itself
# Sent by kiosk.js with X-Kiosk-Swap: the keys of the transcript's bubbles the page shows (data-key), in order.
HELD_HEADER = "X-Kiosk-Transcript"


@bp.after_request
def _no_store(response):
    return no_store(response)  # the Content-Security-Policy is app-wide (security.py)


def display_settings() -> dict:
    """Text size, furigana and the side-by-side Japanese for this kiosk session; they go with the session when it ends."""
    chosen = session.get(DISPLAY_KEY) or {}
    size = chosen.get("text_size")
    return {
        "text_size": size if size in TEXT_SIZES else TEXT_SIZES[0],
        "furigana": furigana_shown(),
        "side_by_side": bool(chosen.get("side_by_side")),
        # Japanese beneath Japanese says nothing new: the setting is for the other languages' pages.
        "side_by_side_offered": not _page_is_japanese(),
    }


def _page_is_japanese() -> bool:
    return str(get_locale()).split("@")[0] == SIDE_BY_SIDE_LOCALE


@bp.context_processor
def _kiosk_page():
    config = current_app.config
    return {
        "display": display_settings(),
        "text_sizes": TEXT_SIZES,
        "kiosk_timing": {
            "idle": setting("idle_seconds", "KIOSK_IDLE_SECONDS"),
            "warning": setting("idle_warning_seconds", "KIOSK_IDLE_WARNING_SECONDS"),
            "embed_idle": config["EMBED_IDLE_SECONDS"],
            "no_script": config["KIOSK_IDLE_NO_SCRIPT_SECONDS"],
            "reading": config["KIOSK_READING_TIME_FACTOR"],
        },
        "exit_url": exit_url(),
        "code_known": bool(session.get(CODE_KNOWN_KEY)),
        "walk_in_allowed": walk_in_allowed(),
        "kiosk_may_serve": settled() and kiosk_may_serve(),
    }


def exit_url() -> str:
    return current_app.config["QUICK_EXIT_URL"] or url_for("kiosk.landing")


def _begin_kiosk_session(intake: Intake) -> None:
    """A fresh session for this intake; only the display settings chosen on the welcome screen stay."""
    kept = {key: session[key] for key in (DISPLAY_KEY, FURIGANA_SESSION_KEY) if key in session}
    session.clear()
    session.update(kept)
    session[SESSION_KEY] = intake.token


def _end_kiosk_session(abandoned: str | None = None) -> None:
    """Retire the token of the intake on this screen and forget everything the session held.

    `abandoned` (idle, exit): how the screen was left, counted where an unfinished intake stood (step_counts).
    """
    intake = conversations.find(session.get(SESSION_KEY))
    if intake is not None:
        how = (intake_engine(intake), abandoned, office_today()) if abandoned else None
        conversations.end_kiosk_session(intake, abandoned=how)
    session.clear()


def _current_intake() -> Intake | None:
    intake = conversations.find(session.get(SESSION_KEY))
    if intake is not None:
        _speak_language_of(intake)
    return intake


def _speak_language_of(intake: Intake) -> None:
    """This page in the intake's language (a sent intake's done page: the one chosen for display)."""
    shown = session.get(DONE_LOCALE_KEY) if conversations.is_final(intake) else None
    g.locale = known_locale(shown or intake.locale, preview=intake.status == IntakeStatus.PREVIEW)
    refresh()


def _refuse_if_final(intake: Intake):
    """A sent intake never changes: say so on its done page (409) instead of touching the record."""
    if not conversations.is_final(intake):
        return None
    # i18n: On the last screen, when a button of an earlier page was pressed after the answers were sent.
    flash(message(N_("Your answers were already sent to your caseworker. They cannot be changed here.")))
    return render_step(intake, status=409)


def _current_question() -> str:
    """The step page, scrolled to the question (long conversations push it down the page)."""
    return url_for("kiosk.show_step", _anchor="question-title")


def _require_intake() -> Intake:
    intake = _current_intake()
    if intake is None:
        abort(redirect(url_for("kiosk.landing")))
    return intake


@bp.get("/")
def landing():
    """The welcome screen a kiosk shows between recipients."""
    if _current_intake() is not None:
        return redirect(_current_question())
    if request.args.get("lang"):
        g.locale = known_locale(request.args["lang"])
        refresh()
    return render_template("kiosk/landing.html")


@bp.post("/start")
@rate_limit("RATELIMIT_KIOSK_START", scope="kiosk-start")
def start():
    """Begin a new intake in the language chosen on the landing screen."""
    if not (walk_in_allowed() and kiosk_may_serve()):  # a ticket code only, or a kiosk of no office yet
        return redirect(url_for("kiosk.landing"))
    refused = _unknown_language(request.form.get("locale"))
    if refused:
        return refused
    engine = intake_engine()
    intake = conversations.start(engine, known_locale(request.form.get("locale")), today=office_today())
    _begin_kiosk_session(intake)
    return redirect(_current_question())


def render_step(intake: Intake, *, errors=(), values=None, nudges=None, status=200):
    """The current question (with what was refused or held, if anything) and the conversation so far.

    To kiosk.js (X-Kiosk-Swap) only what it swaps in: #main's contents, without the transcript messages
    the page already shows (kiosk/fragment.html). Every other request gets the whole page.
    """
    engine = intake_engine(intake)
    conversation = intake.conversation
    view = step_view(engine, conversation, today=office_today(), problems=errors, raw=values, nudges=nudges)
    entries = transcript(engine, conversation)
    beneath, beneath_entries = None, []
    if display_settings()["side_by_side"] and not _page_is_japanese():
        with force_locale(SIDE_BY_SIDE_LOCALE):  # the same step and conversation, in Japanese
            beneath = step_view(engine, conversation, today=office_today(), raw=values, nudges=nudges)
            beneath_entries = transcript(engine, conversation)
    fragment = request.headers.get(SWAP_HEADER) == "next"
    page = render_template(
        view.kind.template,
        intake=intake,
        receipt_code=sent_receipt(intake),
        step=view.step,
        view=view,
        transcript=entries,
        beneath=beneath,
        beneath_transcript=beneath_entries,
        fragment=fragment,
        transcript_kept=_messages_held(entries, request.headers.get(HELD_HEADER, "")) if fragment else 0,
    )
    if fragment:
        return page, status, {SWAP_HEADER: "fragment", "Vary": f"{SWAP_HEADER}, {HELD_HEADER}"}
    return page, status


def transcript(engine, conversation) -> list[dict]:
    """The conversation so far as chat bubbles: each earlier question with the recipient's answer.

    Each bubble has a key (`message_keys`) that changes whenever what it shows changes; `first_message`
    is the position of the entry's first bubble in the whole transcript.
    """
    current = conversation.state
    if not engine.step(current).step_kind.transcript:
        return []
    live = engine.live_path(conversation.answers)
    shown = live[: live.index(current)] if current in live else live
    entries = []
    messages = 0
    for step_id in shown:
        step = engine.step(step_id)
        if not step.asked:  # supplied by the office, never asked
            continue
        prompt = reflected_prompt(engine, step, conversation.answers)
        answer = answer_text(engine, step, conversation.answers) if step.takes_answer else None
        keys = [_message_key(step_id, "asked", prompt)]
        if answer is not None:
            keys.append(_message_key(step_id, "answered", answer))
        entries.append(
            {"step": step, "prompt": prompt, "answer": answer, "message_keys": keys, "first_message": messages}
        )
        messages += len(keys)
    return entries


def _message_key(step_id: str, part: str, shown) -> str:
    """A short fingerprint of what one bubble shows (its text with furigana, or the list of actions)."""
    return hashlib.blake2s(repr((step_id, part, shown)).encode(), digest_size=6).hexdigest()


def _messages_held(entries: list[dict], held: str) -> int:
    """How many of the transcript's bubbles, from the first, the page already shows as they are now.

    kiosk.js keeps those and replaces the rest with the reply's. After Back or Change the page's later
    bubbles differ from the transcript's: only the ones before the first difference are kept.
    """
    ours = [key for entry in entries for key in entry["message_keys"]]
    kept = 0
    for mine, theirs in zip(ours, held.split(), strict=False):  # the page may show more or fewer
        if mine != theirs:
            break
        kept += 1
    return kept


@stale_page(bp)
def _already_saved():
    """Another tab or a double tap moved the intake first: show where it is now (post/redirect/get)."""
    # i18n: Shown when an old page sends an answer for a question that was answered since.
    flash(message(N_("That answer was already saved. Here is where you are now.")))
    return redirect(_current_question())


@bp.get("/step")
def show_step():
    """The current question, with the conversation so far."""
    return render_step(_require_intake())


@bp.post("/step")
def answer_step():
    """Save the answer to the current question, then show the next one."""
    intake = _require_intake()
    if (refused := _refuse_if_final(intake)) is not None:
        return refused
    engine = intake_engine(intake)
    step_id = request.form.get("step", "")
    if step_id != intake.state:
        return _already_saved()
    step = engine.current(intake.conversation)
    action = request.form.get("action", "continue")
    raw = answer_from_form(step, request.form)
    try:
        outcome = conversations.answer(
            engine,
            intake,
            step_id,
            raw,
            today=office_today(),
            skip=action == "skip",
            keep_as_is=action == "keep",
        )
    except AnswerInvalid as err:
        return render_step(intake, errors=err.problems, values=raw, status=422)
    except StaleStep:
        return _already_saved()
    except NotAllowed:
        return redirect(_current_question())
    if conversations.is_final(intake):  # sent by this answer: this screen, and no other, shows the receipt code
        remember_sent(intake)
    if not outcome.advanced:
        return render_step(intake, nudges=list(outcome.nudges), status=200)
    if request.headers.get(SWAP_HEADER) == "next":
        # kiosk.js swaps the next question in from this reply: one round trip instead of following the
        # redirect. The page is drawn inside this request's transaction, so it is sent only once the
        # answer is committed; a plain form still gets post/redirect/get.
        _speak_language_of(intake)  # the answer may have been the language to go on in
        return render_step(intake)
    return redirect(_current_question())


@bp.post("/back")
def back():
    """One step back; the answers stay."""
    intake = _require_intake()
    if (refused := _refuse_if_final(intake)) is not None:
        return refused
    try:
        conversations.back(intake_engine(intake), intake, today=office_today())
    except NotAllowed:
        pass
    return redirect(_current_question())


@bp.post("/change")
def change():
    """From the check page, open one answer again."""
    intake = _require_intake()
    if (refused := _refuse_if_final(intake)) is not None:
        return refused
    try:
        conversations.change(intake_engine(intake), intake, request.form.get("step", ""))
    except NotAllowed:
        pass
    return redirect(_current_question())


def _unknown_language(locale: str | None, *, preview: bool = False):
    """A language the kiosk does not offer is refused (422, nothing changed); none at all means the default."""
    if not locale or known_locale(locale, preview=preview) == locale:
        return None
    return render_template("error.html", message=message(N_("Please choose a language from the list."))), 422


@bp.post("/language")
def switch_language():
    """Change the language at any point; the conversation re-renders in it."""
    intake = _current_intake()
    preview = intake is not None and intake.status == IntakeStatus.PREVIEW
    refused = _unknown_language(request.form.get("locale"), preview=preview)
    if refused:
        return refused
    locale = known_locale(request.form.get("locale"), preview=preview)
    if intake is None:
        return redirect(_page_without_intake(locale))
    if conversations.is_final(intake):  # the done page changes language; the sent record does not
        session[DONE_LOCALE_KEY] = locale
        return redirect(_current_question())
    conversations.switch_language(intake_engine(intake), intake, locale)
    return redirect(_current_question())


# Ending a kiosk session must work even from a stale page whose CSRF token no longer matches: the worst a
# forged request can do is clear a screen, while a refused quick exit could leave answers on show.
@bp.post("/finish")
@csrf.exempt
def finish():
    """End the kiosk session: the next person starts from a clean screen."""
    _end_kiosk_session()
    return redirect(url_for("kiosk.landing"), 303)


@bp.route("/reset", methods=["GET", "POST"])
@csrf.exempt
def reset():
    """The idle reset: end the kiosk session; the intake can be resumed with its receipt code.

    GET is the reset of a page without JavaScript (a timed reload, see kiosk/macros.html).
    """
    _end_kiosk_session(abandoned=IDLE)
    return redirect(url_for("kiosk.landing"), 303)


@bp.post("/exit")
@csrf.exempt
def quick_exit():
    """Exit this page at once: end the kiosk session and show a neutral page."""
    _end_kiosk_session(abandoned=EXIT)
    return redirect(exit_url(), 303)


@bp.post("/display")
def set_display():
    """Change the text size, or turn furigana or the Japanese beneath on or off; it lasts for this kiosk session."""
    if request.form.get("text_size") in TEXT_SIZES:
        session[DISPLAY_KEY] = {**session.get(DISPLAY_KEY, {}), "text_size": request.form["text_size"]}
    if request.form.get("side_by_side") in {"on", "off"}:
        session[DISPLAY_KEY] = {**session.get(DISPLAY_KEY, {}), "side_by_side": request.form["side_by_side"] == "on"}
    if request.form.get("furigana") in {"on", "off"}:
        session[FURIGANA_SESSION_KEY] = request.form["furigana"] == "on"
    if session.get(SESSION_KEY):
        return redirect(_current_question(), 303)
    return redirect(_page_without_intake(known_locale(request.form.get("locale"))), 303)


def _page_without_intake(locale: str) -> str:
    """Back to the page the language or display form was on (the resume page or the welcome screen)."""
    endpoint = "kiosk.resume" if request.form.get("return") == "resume" else "kiosk.landing"
    return url_for(endpoint, lang=locale)


@bp.route("/resume", methods=["GET", "POST"])
def resume():
    """Continue an unfinished intake on this screen with its receipt code. Wrong codes are limited by one system, the
    receipt code's own (conversations.resume: per screen, per address without locking out the owner, a ceiling);
    the app's per-address count (RATELIMIT_CODE_ENTRY) is for ticket codes only, where it would lock the owner out."""
    if request.values.get("lang"):  # the language chosen on the welcome screen, furigana with it
        g.locale = known_locale(request.values["lang"])
        refresh()
    if request.method == "GET" or not kiosk_may_serve():
        return render_template("kiosk/resume.html")
    config = current_app.config
    screen = session.setdefault(SCREEN_KEY, secrets.token_urlsafe(12))  # this kiosk session's own count
    try:
        intake = conversations.resume(
            request.form.get("code", ""),
            request.remote_addr or "unknown",
            now=utcnow(),
            max_failures=config["RESUME_MAX_FAILURES"],
            window=timedelta(seconds=config["RESUME_FAILURE_WINDOW_SECONDS"]),
            hours=config["RESUME_HOURS"],
            screen=screen,
            max_screen_failures=config["RESUME_MAX_SCREEN_FAILURES"],
            address_ceiling=config["RESUME_ADDRESS_CEILING"],
        )
    except conversations.TooManyAttempts as err:
        minutes = max(1, -(-err.retry_after // 60))
        # i18n: On the 'continue with a receipt code' page after too many wrong codes; %(num)s is a number of minutes.
        error = plural_message(
            *Nn_(
                "Too many codes were tried on this screen. Please wait %(num)s minute, or ask the staff for help.",
                "Too many codes were tried on this screen. Please wait %(num)s minutes, or ask the staff for help.",
            ),
            minutes,
        )
        response = current_app.make_response((render_template("kiosk/resume.html", error=error), 429))
        response.headers["Retry-After"] = str(err.retry_after)
        return response
    if intake is None:
        # i18n: On the 'continue with a receipt code' page when the code is wrong or too old.
        error = message(N_("We could not find an unfinished plan with this code. Please check the code."))
        return render_template("kiosk/resume.html", error=error, code=request.form.get("code", "")[:20]), 422
    _begin_kiosk_session(intake)
    session[CODE_KNOWN_KEY] = True
    return redirect(_current_question(), 303)
