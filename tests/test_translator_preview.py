"""The translator's pages: who may open them, every step on one page, and a preview walk that sends nothing."""

from __future__ import annotations

import sys

import pytest
from conftest import in_office
from html_checker import KNOWN_CHECKER_GAPS, nu_errors
from staff import make_user, sign_in
from walk import start_and_reach, typical_answers, walk_forms

from intake.config import ROOT
from intake.domain.dialogue import load_dialogue
from intake.records import DraftPlan, Intake


def _user(app, role: str) -> None:
    make_user(app, f"{role}-1", role)


def _login(client, role: str, next_url: str = "/translate/"):
    """Both steps of signing in (tests/staff.py), `next_url` carried through them."""
    return sign_in(client, f"{role}-1", next_url=next_url)


@pytest.fixture
def translator(app, client):
    _user(app, "translator")
    response = _login(client, "translator")
    assert response.headers["Location"] == "/translate/"
    return client


def test_sign_in_needed_and_translator_role_required(app, client):
    assert client.get("/translate/").headers["Location"].startswith("/caseworker/login?next=")
    _user(app, "caseworker")
    _login(client, "caseworker")
    assert client.get("/translate/").status_code == 403
    assert client.get("/translate/ko/").status_code == 403


def test_login_next_must_stay_on_this_site(app, client):
    _user(app, "translator")
    assert _login(client, "translator", "//evil.example/").headers["Location"] == "/translate/"


def test_a_translator_cannot_read_drafts(translator):
    assert translator.get("/caseworker/").status_code == 403
    assert translator.get("/caseworker/drafts/1").status_code == 403


def test_index_lists_every_language_with_progress(translator):
    page = translator.get("/translate/").get_data(as_text=True)
    for code in ("ja", "ja@easy", "zh_Hans", "ko", "fil", "pt_BR", "vi", "es", "ne", "id", "en"):
        assert f"<code>{code}</code>" in page
    assert "Walk the kiosk" in page


def test_preview_shows_every_step_source_and_translation_side_by_side(translator):
    page = translator.get("/translate/ko/").get_data(as_text=True)
    dialogue = load_dialogue(ROOT / "dialogues" / "self_reliance.yaml")
    for step in dialogue.steps.values():
        if step.prompt:
            assert f'data-context="{dialogue.context(step.id)}"' in page, step.id
            assert f"Step {step.id}" in page
    assert '<td lang="ko">' in page and '<td lang="en">' in page
    assert "취업 지원" in page  # a Korean translation, beside "Employment support"


@pytest.mark.parametrize("locale", ["ko", "ja@easy"])
def test_preview_has_no_duplicate_ids(translator, locale):
    """Two dialogues share step ids ('welcome'): each section still gets an id of its own (valid HTML)."""
    from collections import Counter
    from html.parser import HTMLParser

    ids = Counter()

    class Ids(HTMLParser):
        def handle_starttag(self, tag, attrs):
            ids.update(value for name, value in attrs if name == "id")

    Ids().feed(translator.get(f"/translate/{locale}/").get_data(as_text=True))
    assert ids and [name for name, count in ids.items() if count > 1] == []


def test_preview_of_an_unknown_locale_is_404(translator):
    assert translator.get("/translate/xx/").status_code == 404


def test_preview_walk_goes_to_the_end_but_is_never_sent_or_listed(app, translator):
    response = translator.post("/translate/ko/walk")
    assert response.headers["Location"] == "/kiosk/step"
    page = translator.get("/kiosk/step").get_data(as_text=True)
    assert "Translator preview" in page and '<html lang="ko"' in page
    original = translator.post

    def post(url, *args, **kwargs):  # walk_forms starts an intake: keep the preview one instead
        return None if url == "/kiosk/start" else original(url, *args, **kwargs)

    translator.post = post
    try:
        shown = walk_forms(translator, typical_answers() | {"language": "ko"}, locale="ko")
    finally:
        translator.post = original
    assert shown[-1] == "done"
    with in_office(app):
        intake = Intake.query.one()
        assert intake.status == "preview" and intake.locale == "ko"
        assert DraftPlan.query.count() == 0
    _user(app, "caseworker")
    caseworker = app.test_client()
    _login(caseworker, "caseworker", "/caseworker/")
    assert intake.receipt_code not in caseworker.get("/caseworker/").get_data(as_text=True)


# -- One kiosk screen, any step of any dialogue, with sample answers and no intake ------------------------


def _ids_repeated(html: str) -> list[str]:
    from collections import Counter
    from html.parser import HTMLParser

    ids = Counter()

    class Ids(HTMLParser):
        def handle_starttag(self, tag, attrs):
            ids.update(value for name, value in attrs if name == "id")

    Ids().feed(html)
    return [name for name, count in ids.items() if count > 1]


def _screens(app) -> list[tuple[str, str, str]]:
    from intake.domain.step_kinds import kind_of
    from intake.web.common import engines

    with in_office(app):
        return [
            (dialogue_id, step.id, step.kind)
            for dialogue_id, engine in engines().items()
            for step in engine.dialogue.steps.values()
            if kind_of(step).asked
        ]


def test_every_screen_of_every_dialogue_opens_in_the_kiosk_template_creating_nothing(app, translator):
    """Every asked step of both dialogues, in Vietnamese: the kiosk's page for that step, valid ids, no record."""
    with in_office(app):
        before = (Intake.query.count(), DraftPlan.query.count())
    screens = _screens(app)
    assert {d for d, _, _ in screens} >= {"self_reliance", "plan_review"}
    for dialogue_id, step_id, kind in screens:
        response = translator.get(f"/translate/vi/kiosk/{dialogue_id}/{step_id}")
        assert response.status_code == 200, (dialogue_id, step_id)
        page = response.get_data(as_text=True)
        assert '<html lang="vi"' in page
        if kind != "done":
            assert f'data-step="{step_id}"' in page and f'data-kind="{kind}"' in page, (dialogue_id, step_id)
        assert _ids_repeated(page) == [], (dialogue_id, step_id)
    with in_office(app):
        assert (Intake.query.count(), DraftPlan.query.count()) == before
    with translator.session_transaction() as kept:
        assert not {"intake", "furigana", "display"} & set(kept)  # no kiosk session, no display choice kept


def test_a_deep_step_shows_plausible_sample_answers_before_it(app, translator):
    """The reflection repeats sample choices, the suggestions follow sample answers, the check page lists them."""
    page = translator.get("/translate/vi/kiosk/self_reliance/reflect_barriers").get_data(as_text=True)
    assert "%(" not in page and "Translator preview" in page
    assert page.count('class="bubble recipient"') >= 5  # the conversation so far, answered
    ideas = translator.get("/translate/ko/kiosk/self_reliance/action_ideas").get_data(as_text=True)
    assert ideas.count('name="value"') >= 1  # programs ranked from the sample answers
    check = translator.get("/translate/es/kiosk/self_reliance/check").get_data(as_text=True)
    assert check.count('name="step"') >= 10  # a change button per sample answer
    review = translator.get("/translate/ja/kiosk/plan_review/action_2_status").get_data(as_text=True)
    assert "%(action)s" not in review and "“”" not in review  # the office's action text is a sample, not empty


def test_furigana_on_and_off_by_link_and_nothing_kept_in_the_session(app, translator):
    on = translator.get("/translate/ja/kiosk/self_reliance/goal_kind?furigana=on").get_data(as_text=True)
    off = translator.get("/translate/ja/kiosk/self_reliance/goal_kind?furigana=off").get_data(as_text=True)
    default = translator.get("/translate/ja/kiosk/self_reliance/goal_kind").get_data(as_text=True)
    assert "<ruby>" in on and "no-furigana" not in on.split("<body", 1)[1].split(">", 1)[0]
    assert "no-furigana" in off.split("<body", 1)[1].split(">", 1)[0]
    assert "no-furigana" in default.split("<body", 1)[1].split(">", 1)[0]  # Japanese starts without
    easy = translator.get("/translate/ja@easy/kiosk/self_reliance/goal_kind").get_data(as_text=True)
    assert "no-furigana" not in easy.split("<body", 1)[1].split(">", 1)[0]  # Easy Japanese starts with


def test_unknown_dialogue_step_or_locale_is_404(translator):
    assert translator.get("/translate/vi/kiosk/nothing/welcome").status_code == 404
    assert translator.get("/translate/vi/kiosk/self_reliance/nothing").status_code == 404
    assert translator.get("/translate/vi/kiosk/plan_review/goal_text").status_code == 404  # given: never shown
    assert translator.get("/translate/xx/kiosk/self_reliance/welcome").status_code == 404


def test_the_preview_page_links_each_step_to_its_screen_and_the_picker_opens_it(translator):
    page = translator.get("/translate/vi/").get_data(as_text=True)
    assert 'href="/translate/vi/kiosk/self_reliance/actions"' in page
    assert 'href="/translate/vi/kiosk/plan_review/action_1_status"' in page
    response = translator.get("/translate/screen?screen=self_reliance:goal_pick&locale=ne&size=large")
    assert response.headers["Location"] == "/translate/ne/kiosk/self_reliance/goal_pick?size=large"
    assert translator.get("/translate/screen?screen=self_reliance:goal_pick&locale=xx").status_code == 404


def test_translator_pages_and_one_screen_of_each_kind_are_valid_html(app, translator, tmp_path):
    """The W3C Nu checker over the status page, two string previews, a screen of every step kind, and a real kiosk
    page holding answers (its <noscript> refresh to the reset is only on such pages)."""
    urls = ["/translate/", "/translate/vi/", "/translate/ja@easy/", "/translate/ja@easy/readability"]
    seen_kinds = set()
    for dialogue_id, step_id, kind in _screens(app):
        if kind not in seen_kinds:
            seen_kinds.add(kind)
            urls.append(f"/translate/vi/kiosk/{dialogue_id}/{step_id}")
    urls += [
        "/translate/ja/kiosk/self_reliance/check?furigana=on",
        "/translate/ja@easy/kiosk/plan_review/action_1_status",
    ]
    pages = {}
    for url in urls:
        response = translator.get(url)
        assert response.status_code == 200, url
        pages[url] = response.get_data()
    kiosk_page = start_and_reach(app.test_client(), "barriers", locale="vi")
    assert '<meta http-equiv="refresh"' in kiosk_page
    pages["/kiosk/step (vi, with answers)"] = kiosk_page
    messages = nu_errors(pages, tmp_path)
    errors = [
        f"{name}:{m.get('lastLine')}: {m['message']}"
        for name, m in messages
        if not any(m["message"].startswith(gap) for gap in KNOWN_CHECKER_GAPS)
    ]
    assert len(seen_kinds) >= 12
    assert len(messages) > len(errors)  # the checker read the pages: it saw `inert` on each screen
    assert errors == []


def test_a_draft_language_opens_for_translators_though_recipients_cannot_choose_it(make_app):
    app = make_app(LANGUAGES_DRAFT=("ne",))
    _user(app, "translator")
    client = app.test_client()
    _login(client, "translator")
    page = client.get("/translate/ne/kiosk/self_reliance/goal_kind")
    assert page.status_code == 200 and '<html lang="ne"' in page.get_data(as_text=True)
    assert '<option value="ne"' not in app.test_client().get("/kiosk/").get_data(as_text=True)


def test_easy_japanese_readability_per_string_with_the_hardest_flagged(translator):
    from intake.i18n import readability

    index = translator.get("/translate/").get_data(as_text=True)
    assert 'href="/translate/ja@easy/readability"' in index and " hard</a>" in index
    page = translator.get("/translate/ja@easy/readability").get_data(as_text=True)
    scores = readability.scores(ROOT / "translations" / "ja@easy" / "LC_MESSAGES" / "messages.po")
    scored = [s for s in scores if s.score is not None]
    assert len(scored) > 100 and scored == sorted(scored, key=lambda s: s.score)  # the hardest first
    for s in scored[:5]:
        assert f"<td>{s.score:.2f}</td>" in page and s.band in page
    assert page.count("hard: rewrite") == sum(1 for s in scores if s.hard) > 0
    every = translator.get("/translate/ja@easy/").get_data(as_text=True)  # beside each string, too
    assert every.count("hard: rewrite") == page.count("hard: rewrite")
    assert f"readability {scored[-1].score:.2f}, {scored[-1].band}" in every
    assert translator.get("/translate/ko/readability").status_code == 404


def test_readability_bands_order_easy_over_hard_text():
    """A plain Easy Japanese sentence scores above an official one full of kango; labels are not scored."""
    from intake.i18n import readability

    _, easy = readability.score_text("わたしは 毎日 あさ 七時に おきて、ごはんを たべます。それから こうえんを あるきます。")
    _, official = readability.score_text("本申請に係る個人情報は、関係法令に基づき適正に管理し、目的外に利用いたしません。")
    assert easy is not None and official is not None and easy > official
    assert readability.band(official)[0] in {"hard", "very hard"}
    assert readability.score_text("つぎへ")[1] is None
    assert readability.score_text("%(goal)s について") == readability.score_text("について")


@pytest.fixture
def without_analyser(monkeypatch):
    """As on the install `make run` makes (requirements.lock only): the translators extra is not importable."""
    from intake.i18n import readability

    def forget():
        readability._analyser.cache_clear()
        readability._scores.cache_clear()

    forget()
    monkeypatch.setitem(sys.modules, "jreadability", None)  # None in sys.modules: the import raises ImportError
    yield
    monkeypatch.undo()
    forget()


def test_without_the_translators_extra_the_readability_pages_say_how_to_install_it(translator, without_analyser):
    index = translator.get("/translate/")
    assert index.status_code == 200
    assert "not scored: needs the translators' tools" in index.get_data(as_text=True)
    page = translator.get("/translate/ja@easy/readability")
    assert page.status_code == 200 and "pip install -e '.[translators]'" in page.get_data(as_text=True)
    assert translator.get("/translate/ja@easy/").status_code == 200  # every string, without its scores


@pytest.mark.parametrize("step_id", ["health_now", "goal_kind", "feelings_now"])
def test_a_screen_is_the_kiosk_s_own_rendering_of_that_question(app, translator, step_id):
    """The question on the translator's screen is, to the character, what the kiosk shows a recipient there."""
    import re

    from walk import walk_api

    kiosk = app.test_client()
    token = walk_api(kiosk, typical_answers() | {"language": "vi"}, locale="vi", stop_at=step_id)["token"]
    with kiosk.session_transaction() as kept:
        kept["intake"] = token

    def question(html: str) -> str:
        found = re.search(r'<section class="question".*?</section>', html, re.S).group(0)
        found = re.sub(r'data-intake="[^"]*"', "", found)
        return re.sub(r'name="csrf_token" value="[^"]*"', "", found)

    real = question(kiosk.get("/kiosk/step").get_data(as_text=True))
    shown = question(translator.get(f"/translate/vi/kiosk/self_reliance/{step_id}").get_data(as_text=True))
    assert f'data-step="{step_id}"' in real
    assert shown == real
