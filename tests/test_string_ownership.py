"""Strings belong to their reader (issue 22).

What a recipient reads (every kiosk page, their copy of the plan, the ticket slip) comes through the recipients'
catalogue: rendered in a pseudo-locale made at test time, a page has no word outside ⟦…⟧ but for the recipient's
own words, names, codes and the languages' own names. What staff read is Japanese: every staff page, CSV, audit
detail and PDF, walked as each role on a case worked in Nepali, has no Latin word but for codes, case numbers and
people's names.
"""

from __future__ import annotations

import io
import re
from urllib.parse import urljoin, urlsplit

import pytest
from conftest import current_step_id, in_office, office_today
from staff import (
    answers_for,
    approve_typical_plan,
    make_office,
    new_case,
    sign_in,
    walk_with_code,
)
from string_ownership import PSEUDO, csv_latin, latin_words, pseudo, pseudo_config, staff_latin, unmarked_words
from walk import REVIEW_ANSWERS, form_fields
from werkzeug.datastructures import MultiDict

from intake.config import Defaults
from intake.domain.dates import add_months
from intake.extensions import db
from intake.records import AuditEntry
from intake.web.common import intake_engine

LANGUAGE_NAMES = list(Defaults.LANGUAGES.values()) + ["Pseŭdo"]


def _own_words(answers: dict) -> list[str]:
    """The words the recipient typed (free text, actions): theirs, not the catalogue's."""
    words = []
    for value in answers.values():
        if isinstance(value, str) and " " in value:  # a sentence, not an id or a date
            words.append(value)
        elif isinstance(value, list):
            words += [item["text"] for item in value if isinstance(item, dict)]
    return words


def test_pseudo_locale_marks_every_string_and_keeps_placeholders():
    marked = pseudo("Version %(number)s of <b>%(total)s</b> 100%%")
    assert marked.startswith("⟦") and marked.endswith("⟧")
    assert "%(number)s" in marked and "<b>" in marked and "%(total)s" in marked and "%%" in marked
    assert "Version" not in marked and "Véřšîöñ" in marked
    assert unmarked_words(f"<p>{marked % {'number': 2, 'total': 3}}</p>", []) == []
    # Marked, but never filled in: the reader sees "%(number)s".
    assert unmarked_words(f"<p>{marked}</p>", []) == ["%(number)s", "%(total)s"]
    assert unmarked_words("<p>⟦Gööd⟧ Bad</p>", []) == ["Bad"]  # the test can fail
    assert unmarked_words('<p><img alt="Left out"></p>', []) == ["Left", "out"]
    assert latin_words("取組1：Hello A-0001 R8-0002 ABCD-1234", []) == ["Hello"]


@pytest.fixture
def pseudo_app(make_app, tmp_path):
    return make_app(**pseudo_config(tmp_path / "translations"))


def _walk_collecting(client, answers: dict, dialogue: str | None = None) -> dict[str, str]:
    """Walk the kiosk by form from the current step to the done page; every page shown, by step id."""
    from intake.web.common import engines

    pages = {}
    for _ in range(80):
        page = client.get("/kiosk/step")
        assert page.status_code == 200
        html = page.get_data(as_text=True)
        step_id = current_step_id(html) or "done"
        pages.setdefault(step_id, html)
        if step_id == "done":
            return pages
        with client.application.app_context():
            kind = (engines()[dialogue] if dialogue else intake_engine()).step(step_id).kind
        if kind == "language":
            data = {"value": PSEUDO}
        elif kind == "handover":
            data = {"value": "confirm"}
        elif step_id in answers:
            data = form_fields(kind, answers[step_id])
        else:
            data = {}
        data = list(data.items()) if isinstance(data, dict) else data
        if kind == "text" and f"{step_id}:refused" not in pages and step_id in answers:
            # One refused answer per kind of question: its error is the recipient's too.
            refused = client.post("/kiosk/step", data=MultiDict([("step", step_id), ("action", "continue")]))
            if refused.status_code == 422:
                pages[f"{step_id}:refused"] = refused.get_data(as_text=True)
        action = "continue" if step_id in answers or kind not in {"text", "multi_choice"} else "skip"
        response = client.post("/kiosk/step", data=MultiDict([*data, ("step", step_id), ("action", action)]))
        assert response.status_code == 302, (step_id, response.get_data(as_text=True)[:2000])
    raise AssertionError("the walk did not end")


def _refused(response) -> str:
    assert response.status_code in (404, 422), response.status_code
    return response.get_data(as_text=True)


def test_every_kiosk_page_in_the_pseudo_locale_comes_through_the_catalogue(pseudo_app):
    client = pseudo_app.test_client()
    pages = {
        "landing": client.get("/kiosk/?lang=" + PSEUDO).get_data(as_text=True),
        "resume": client.get("/kiosk/resume?lang=" + PSEUDO).get_data(as_text=True),
        # Refused codes: the errors are the recipient's too.
        "resume:refused": _refused(client.post("/kiosk/resume", data={"code": "ZZZZ-ZZZZ", "lang": PSEUDO})),
        "code:refused": _refused(client.post("/kiosk/code", data={"code": "ZZZZZ-ZZZZZ", "locale": PSEUDO})),
    }
    client.post("/kiosk/start", data={"locale": PSEUDO})
    answers = answers_for(office_today(), PSEUDO)
    pages |= _walk_collecting(client, answers)
    assert "done" in pages and len(pages) > 20, sorted(pages)
    with pseudo_app.app_context():
        office = pseudo_app.config["OFFICE_NAME"]
    # The side-by-side button names itself in Japanese too (（対訳）, lang="ja"), for the caseworker or interpreter
    # beside the recipient, who reads Japanese whatever the kiosk's language: a staff reader's word.
    allowed = [*_own_words(answers), *LANGUAGE_NAMES, office, "（対訳）"]
    leaks = {name: words for name, html in pages.items() if (words := unmarked_words(html, allowed))}
    assert leaks == {}, "\n".join(f"{name}: {' '.join(words)}" for name, words in leaks.items())


def _review(client, case_id: int) -> None:
    page = client.get(f"/caseworker/cases/{case_id}/review").get_data(as_text=True)
    form = {
        "review_date": office_today().isoformat(),
        "action-0-progress": "2回同行した",
        "action-0-evaluation": "achieved",
        "action-1-evaluation": "partly",
        "goal-evaluation": "partly",
    }
    for program_id in re.findall(r'name="program-([a-z_]+)-evaluation"', page):
        form.setdefault(f"program-{program_id}-evaluation", "not_yet")
    response = client.post(f"/caseworker/cases/{case_id}/review", data=form)
    assert response.status_code == 303, response.get_data(as_text=True)[:3000]


def test_the_recipients_copy_and_slip_in_the_pseudo_locale_come_through_the_catalogue(pseudo_app):
    make_office(pseudo_app)
    staff = pseudo_app.test_client()
    sign_in(staff, "cw")
    case_id, code = new_case(staff, number="R8-0101", name="Pseudo Recipient", language=PSEUDO)
    slip = staff.get(f"/caseworker/cases/{case_id}").get_data(as_text=True)
    ticket = staff.get(re.search(r'href="(/caseworker/cases/\d+/tickets/\d+)"', slip).group(1)).get_data(as_text=True)
    # The slip within the staff page around it, whose language (Japanese) its parts inherit.
    slip = '<div lang="ja">' + ticket[ticket.index('<div class="ticket-slip"') : ticket.index('<p class="no-print"')]
    walk_with_code(pseudo_app.test_client(), code, office_today(), locale=PSEUDO)
    today = office_today()
    approve_typical_plan(staff, case_id, today, add_months(today, 3))
    _review(staff, case_id)
    copy = staff.get(f"/caseworker/cases/{case_id}/versions/1/print?copy=recipient").get_data(as_text=True)
    sheet = '<div lang="ja">' + copy[copy.index('<article class="sheet"') : copy.index("</article>")]
    answers = answers_for(today, PSEUDO)
    allowed = [*_own_words(answers), "Pseudo Recipient", "caseworker cw", "R8-0101", code, "2回同行した"]
    # The official Japanese beside it (lang="ja", from the office's sheet) is checked by the Japanese test below.
    assert unmarked_words(sheet, allowed, skip_lang="ja") == []
    assert unmarked_words(slip, allowed, skip_lang="ja") == []
    assert "⟦" in sheet and "⟦" in slip  # the recipient's side is there at all

    # The review (見直し) at the kiosk, from a review code: every page of its dialogue.
    response = staff.post(f"/caseworker/cases/{case_id}/tickets", data={"purpose": "review"})
    review_slip = staff.get(response.headers["Location"]).get_data(as_text=True)
    review_code = re.search(r'data-testid="ticket-code">([A-Z0-9-]+)<', review_slip).group(1)
    kiosk = pseudo_app.test_client()
    assert kiosk.post("/kiosk/code", data={"code": review_code, "locale": PSEUDO}).status_code == 302
    pages = _walk_collecting(kiosk, REVIEW_ANSWERS, dialogue="plan_review")
    assert "done" in pages and len(pages) > 8, sorted(pages)
    allowed += [*_own_words(REVIEW_ANSWERS), *LANGUAGE_NAMES, pseudo_app.config["OFFICE_NAME"], "（対訳）"]
    leaks = {name: words for name, html in pages.items() if (words := unmarked_words(html, allowed))}
    assert leaks == {}, "\n".join(f"{name}: {' '.join(words)}" for name, words in leaks.items())



CHECK_IN_ANSWERS = {"action_1_status": "partly", "action_2_status": "help", "note": "The clinic was full", "talk": "yes"}


def test_the_pocket_card_reminder_letter_and_check_in_in_the_pseudo_locale_come_through_the_catalogue(pseudo_app):
    """What a recipient takes home between reviews (the pocket card, the reminder letter) and the check-in dialogue
    at the kiosk: every word of their side is the recipient catalogue's."""
    make_office(pseudo_app)
    staff = pseudo_app.test_client()
    sign_in(staff, "cw")
    case_id, code = new_case(staff, number="R8-0102", name="Pseudo Recipient", language=PSEUDO)
    walk_with_code(pseudo_app.test_client(), code, office_today(), locale=PSEUDO)
    today = office_today()
    approve_typical_plan(staff, case_id, today, add_months(today, 3))
    answers = answers_for(today, PSEUDO)
    office = pseudo_app.config["OFFICE_NAME"]
    allowed = [*_own_words(answers), "Pseudo Recipient", "caseworker cw", "R8-0102", office]

    page = staff.get(f"/caseworker/cases/{case_id}/versions/1/card").get_data(as_text=True)
    card = '<div lang="ja">' + page[page.index('<article class="pocket-card"') : page.index("</article>")]
    short_code = re.search(r'data-testid="card-code">([^<]+)<', card).group(1)
    letter_page = staff.get(f"/caseworker/cases/{case_id}/reminder").get_data(as_text=True)
    letter = '<div lang="ja">' + letter_page[letter_page.index('<article class="sheet reminder-letter"') :]
    letter = letter[: letter.index("</article>")]
    for name, printed in (("card", card), ("reminder letter", letter)):
        assert unmarked_words(printed, [*allowed, short_code], skip_lang="ja") == [], name
        assert "⟦" in printed, name  # the recipient's side is there at all

    kiosk = pseudo_app.test_client()
    assert kiosk.post("/kiosk/check-in", data={"card": short_code, "locale": PSEUDO}).status_code == 302
    pages = _walk_collecting(kiosk, CHECK_IN_ANSWERS, dialogue="check_in")
    assert "done" in pages and len(pages) >= 4, sorted(pages)
    allowed += [*_own_words(CHECK_IN_ANSWERS), *LANGUAGE_NAMES, "（対訳）"]
    leaks = {name: words for name, html in pages.items() if (words := unmarked_words(html, allowed))}
    assert leaks == {}, "\n".join(f"{name}: {' '.join(words)}" for name, words in leaks.items())

# --- staff read Japanese ---------------------------------------------------------------------------------------

# Pages left out of the walk, and why.
NOT_WALKED = (
    "/caseworker/logout",  # a POST; a GET would only end the session the walk needs
    "/translate/",  # the translators' workbench: English by design (translators work from the English source)
)


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def _walk_staff(client, start: str, limit: int = 120) -> dict[str, tuple[str, str]]:
    """Every staff page, CSV and PDF reachable by GET links from `start`: {path: (kind, text)}."""
    seen: dict[str, tuple[str, str]] = {}
    queue = [start]
    while queue and len(seen) < limit:
        path = queue.pop(0)
        if path in seen or path.startswith(NOT_WALKED) or not path.startswith("/caseworker"):
            continue
        response = client.get(path)
        if response.status_code in (301, 302, 303):
            target = urlsplit(urljoin(path, response.headers["Location"]))
            queue.append(target.path + (f"?{target.query}" if target.query else ""))
            seen[path] = ("redirect", target.path)
            continue
        if response.status_code != 200:
            seen[path] = ("status", str(response.status_code))
            continue
        if response.mimetype == "application/pdf":
            seen[path] = ("pdf", _pdf_text(response.data))
        elif response.mimetype == "text/csv":
            seen[path] = ("csv", response.get_data(as_text=True))
        elif response.mimetype == "text/html":
            html = response.get_data(as_text=True)
            seen[path] = ("html", html)
            for href in re.findall(r'href="([^"#]+)"', html):
                target = urlsplit(urljoin(path, href.replace("&amp;", "&")))
                if target.netloc in ("", "localhost"):
                    queue.append(target.path + (f"?{target.query}" if target.query else ""))
        else:
            seen[path] = ("other", response.mimetype)
    return seen


def _contexts(text: str, words: list[str]) -> list[str]:
    """Where each word stands, to name the string at fault."""
    plain = re.sub(r"<[^>]+>", " ", text)
    found = []
    for word in dict.fromkeys(words):
        match = re.search(rf"(?<![A-Za-z]){re.escape(word)}(?![A-Za-z])", plain)
        found.append(" ".join(plain[max(0, match.start() - 40) : match.end() + 40].split()) if match else word)
    return found


def _latin_in(kind: str, text: str, allowed: list[str]) -> list[str]:
    if kind not in ("html", "csv", "pdf"):  # redirects; JSON exports are data for other systems, not text to read
        return []
    if kind == "html":
        return staff_latin(text, allowed)
    if kind == "csv":
        return csv_latin(text, allowed)
    return latin_words(text, allowed)


@pytest.fixture
def worked_office(app, client):
    """An office a day into its work: a Nepali recipient's case walked, edited, approved, reviewed and revised;
    a walk-in draft; every staff role."""
    make_office(app)
    sign_in(client, "cw")
    case_id, code = new_case(client, number="R8-0201", name="Sita Gurung", language="ne")
    walk_with_code(app.test_client(), code, office_today(), locale="ne")
    today = office_today()
    approve_typical_plan(client, case_id, today, add_months(today, 3))
    _review(client, case_id)
    walk_in = app.test_client()
    walk_in.post("/kiosk/start", data={"locale": "vi"})
    client.get(f"/caseworker/cases/{case_id}/versions/1.pdf")
    client.get(f"/caseworker/cases/{case_id}/versions/1/print?copy=recipient")
    client.post("/caseworker/logout")
    return case_id


# People's names as the test office has them: display names ("caseworker cw") and usernames; the recipient's name.
STAFF_NAMES = [
    *(f"{role} {name}" for role, name in (("supervisor", "sv"), ("caseworker", "cw"), ("caseworker", "cw2"),
                                           ("supervisor", "sv2"), ("caseworker", "cw3"), ("translator", "tr"),
                                           ("admin", "admin"))),
    "sv", "cw", "cw2", "sv2", "cw3", "tr", "admin",
    "Sita Gurung",
]


@pytest.mark.parametrize("username", ["cw", "sv", "admin"])
def test_every_staff_page_csv_and_pdf_is_japanese(app, client, worked_office, username):
    sign_in(client, username)
    walked = _walk_staff(client, "/caseworker/")
    answers = answers_for(office_today(), "ne")
    allowed = [*STAFF_NAMES, *_own_words(answers)]
    kinds = [kind for kind, _text in walked.values()]
    assert kinds.count("html") >= 10, walked.keys()
    assert "pdf" in kinds if username == "cw" else "csv" in kinds, walked.keys()
    latin = {path: words for path, (kind, text) in walked.items() if (words := _latin_in(kind, text, allowed))}
    assert latin == {}, "\n".join(
        f"{path}: {' | '.join(_contexts(walked[path][1], words))}" for path, words in latin.items()
    )
    assert not [path for path, (kind, _text) in walked.items() if kind == "status"]
    # Staff read a recipient's language by its Japanese name, never by its own (नेपाली, 한국어, 简体中文…).
    own_names = [name for code, name in Defaults.LANGUAGES.items() if not code.startswith("ja")]
    in_own_script = {path: names for path, (_kind, text) in walked.items() if (names := [n for n in own_names if n in text])}
    assert in_own_script == {}


def test_every_audit_detail_is_japanese(app, client, worked_office):
    """Every line the day wrote, as the audit page and its CSV show it."""
    from flask_babel import force_locale

    from intake.i18n import use_staff_catalogue
    from intake.web.plan_text import audit_detail

    sign_in(client, "admin")
    client.get("/caseworker/office/audit.csv")
    with in_office(app), app.test_request_context(), force_locale("ja"):
        app.preprocess_request()
        use_staff_catalogue()  # as the audit page reads them
        entries = db.session.scalars(db.select(AuditEntry)).all()
        details = {(entry.action, entry.detail): audit_detail(entry) for entry in entries}
    assert len({action for action, _ in details}) >= 8, details
    latin = {key: words for key, text in details.items() if (words := latin_words(text, STAFF_NAMES))}
    assert latin == {}
