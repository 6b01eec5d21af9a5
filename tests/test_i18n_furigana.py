"""Furigana: the notation, the analyser's proposals, the readings check, and <ruby> on the kiosk only."""

from __future__ import annotations

import re

import pytest
from conftest import day_ahead
from i18n_helpers import without_readings, write_catalogue
from markupsafe import Markup
from walk import date_parts, typical_answers, walk_forms
from werkzeug.datastructures import MultiDict

from intake import create_app
from intake.extensions import db
from intake.i18n import catalogues, readings


def test_aozora_notation_to_ruby_markup():
    html = readings.to_html("｜今日《きょう》は天気《てんき》が<いい>")
    assert html == Markup(
        "<ruby>今日<rt>きょう</rt></ruby>は"
        "<ruby>天気<rt>てんき</rt></ruby>が&lt;いい&gt;"
    )
    assert readings.plain("｜今日《きょう》は天気《てんき》") == "今日は天気"


@pytest.mark.parametrize("bad", ["abc《かな》", "今日《》", "今日《kyou》", "今日《きょう", "｜今日"])
def test_malformed_readings_are_errors(bad):
    with pytest.raises(readings.ReadingError):
        readings.parse(bad)


def test_the_analyser_proposes_readings_and_never_changes_the_text():
    analyser = readings.Analyser()
    proposed = analyser.propose("今日は生活保護の相談を受けます。\n%(value)s点")
    assert readings.plain(proposed) == "今日は生活保護の相談を受けます。\n%(value)s点"
    assert "今日《きょう》" in proposed and "受《う》けます" in proposed and "点《てん》" in proposed


def _japanese(directory, texts: dict, readings_text: dict | None):
    """A ja catalogue of texts, and optionally a readings.po of {japanese: annotated}."""
    write_catalogue(directory, "ja", texts)
    if readings_text is not None:
        catalog = readings.Catalog(locale="ja")
        for text, annotated in readings_text.items():
            catalog.add(text, annotated)
        readings.save(catalog, readings.readings_path(directory, "ja"))


def test_a_confirmed_correction_is_proposed_again_in_new_text():
    analyser = readings.Analyser()
    assert analyser.propose("日本語を話す") == "日本《にっぽん》語《ご》を話《はな》す"  # the dictionary's guess
    confirmed = readings.Catalog(locale="ja")
    confirmed.add("日本語", "日本語《にほんご》")  # a translator's correction, not fuzzy
    confirmed.add("2人で", "｜2人《ふたり》で")
    confirmed.add("今日は", "今日《こんにち》は", flags={"fuzzy"})  # unconfirmed: ignored
    known = readings.confirmed_readings(confirmed)
    assert known == {"日本語": "にほんご", "2人": "ふたり"}
    assert analyser.propose("日本語を2人で話す", known) == "日本語《にほんご》を｜2人《ふたり》で話《はな》す"


def test_readings_command_proposes_fuzzy_and_keeps_corrections(runner, tmp_path):
    _japanese(tmp_path, {"Back": "戻る", "Start": "始める", "Finish": "おわり"}, {"戻る": "戻《もど》る"})
    result = runner.invoke(args=["intake", "i18n", "readings", "--directory", str(tmp_path), "--locale", "ja"])
    assert result.exit_code == 0, result.output
    stored = {m.id: m for m in readings.load(readings.readings_path(tmp_path, "ja")) if m.id}
    assert set(stored) == {"戻る", "始める"}  # no entry for text without kanji
    assert stored["戻る"].string == "戻《もど》る" and not stored["戻る"].fuzzy  # a translator's reading stays
    assert stored["始める"].string == "始《はじ》める" and stored["始める"].fuzzy  # a proposal waits for review


def test_check_catches_missing_empty_and_stale_readings(tmp_path):
    texts = {"Back": "戻る", "Start": "始める", "Finish": "終わる"}
    write_catalogue(tmp_path, "ja", texts)
    catalog = readings.Catalog(locale="ja")
    catalog.add("戻る", "")  # empty
    catalog.add("始める", "｜始《はじ》まる")  # spells another text
    messages = catalogues.read(catalogues.po_path(tmp_path, "ja"))
    found = readings.problems(messages, catalog)
    assert any("empty reading" in p and "戻る" in p for p in found)
    assert any("does not spell the same text" in p for p in found)
    assert any("no reading" in p and "終わる" in p for p in found)


@pytest.fixture
def furigana_app(tmp_path):
    _japanese(
        tmp_path,
        {"Start": "開始", "Language": "言語", "Welcome": "ようこそ"},
        {"開始": "開始《かいし》", "言語": "言語《げんご》"},
    )
    write_catalogue(tmp_path, "ja@easy", {"Welcome": "ようこそ"})  # Easy Japanese borrows 開始 from ja
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test",
            "WTF_CSRF_ENABLED": False,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            "BABEL_TRANSLATION_DIRECTORIES": str(tmp_path),
        }
    )
    with app.app_context():
        db.create_all()
    return app


def test_kiosk_shows_ruby_hidden_in_japanese_and_shown_in_easy_japanese(furigana_app):
    client = furigana_app.test_client()
    page = client.get("/kiosk/?lang=ja").get_data(as_text=True)
    assert "<ruby>開始<rt>かいし</rt>" in page
    assert '<html lang="ja" data-locale="ja">' in page and 'class="kiosk text-standard no-furigana"' in page
    assert 'aria-label="言語"' in page  # attributes get the text without readings
    easy = client.get("/kiosk/?lang=ja@easy").get_data(as_text=True)
    assert '<html lang="ja" data-locale="ja@easy">' in easy and 'class="kiosk text-standard"' in easy
    assert "<ruby>開始" in easy  # the Japanese fallback keeps its reading


def test_the_toggle_works_without_javascript_and_survives_start(furigana_app):
    client = furigana_app.test_client()
    client.post("/kiosk/display", data={"furigana": "on", "locale": "ja"})
    assert 'class="kiosk text-standard"' in client.get("/kiosk/?lang=ja").get_data(as_text=True)
    client.post("/kiosk/start", data={"locale": "ja"})
    step = client.get("/kiosk/step").get_data(as_text=True)
    assert 'class="kiosk text-standard"' in step and 'aria-pressed="true"' in step
    client.post("/kiosk/display", data={"furigana": "off"})
    assert 'class="kiosk text-standard no-furigana"' in client.get("/kiosk/step").get_data(as_text=True)
    client.post("/kiosk/finish")  # the next recipient starts from the default again
    assert 'class="kiosk text-standard no-furigana"' in client.get("/kiosk/?lang=ja").get_data(as_text=True)


def test_no_ruby_for_other_languages_the_api_or_caseworkers(furigana_app):
    client = furigana_app.test_client()
    assert "<ruby>" not in client.get("/kiosk/?lang=ko").get_data(as_text=True)
    assert "<ruby>" not in client.get("/caseworker/login").get_data(as_text=True)
    started = client.post("/api/v1/intakes", json={"locale": "ja"})
    if started.status_code < 400:
        assert "<ruby>" not in started.get_data(as_text=True)


# Words an analyser reads wrongly in these texts, with the reading a Japanese reader expects here.
TRICKY = {
    "何を": "何《なに》を",
    "何が": "何《なに》が",
    "何も": "何《なに》も",
    "一歩": "｜一歩《いっぽ》",
    "週3日": "｜3日《みっか》",
    "1日3食": "｜1日《いちにち》",
    "今日": "今日《きょう》",
    "日本語": "日本語《にほんご》",
    "目標": "目標《もくひょう》",
    # Found when every reading was read by hand (December 2026):
    "若い方": "方《かた》",  # a person (かた), not a direction or side (ほう)
    "入院中の方": "方《かた》",
    "むずかしい方": "方《かた》",
    "なかった方": "方《かた》",
    "を得る": "得《え》る",
    "保育園に入れ": "入《はい》れ",  # cannot get a place (はいれない), not put in (いれない)
    "ほいくえんに 入れ": "入《はい》れ",
    # One word, one reading: split per morpheme (小《しょう》学校《がっこう》) the short kanji is spread apart.
    "小学校": "小学校《しょうがっこう》",
    "中学校": "中学校《ちゅうがっこう》",
    "入院中": "入院中《にゅういんちゅう》",
}


@pytest.mark.parametrize("locale", ["ja", "ja@easy"])
def test_tricky_words_have_the_right_readings(locale):
    stored = readings.load(readings.readings_path(catalogues.TRANSLATIONS, locale))
    seen = set()
    for entry in stored:
        if not entry.id:
            continue
        for word, expected in TRICKY.items():
            if word in entry.id:
                seen.add(word)
                assert expected in entry.string, (word, entry.string)
    assert {"何を", "目標", "日本語"} <= seen  # the check looked at real text


def test_every_tricky_word_occurs_in_the_japanese_texts():
    """A word no text holds any more checks nothing: take it out or replace it with one that occurs."""
    texts = [
        entry.id
        for locale in ("ja", "ja@easy")
        for entry in readings.load(readings.readings_path(catalogues.TRANSLATIONS, locale))
        if entry.id
    ]
    assert [word for word in TRICKY if not any(word in text for text in texts)] == []


# -- Messages and pre-filled texts on the real Easy Japanese kiosk --------------------------------------


def _ruby_in(html: str, css_class: str) -> str:
    """The first element of `css_class` in a page (the markup inside it)."""
    match = re.search(rf'<(\w+)[^>]*class="{css_class}"[^>]*>(.*?)</\1>', html, re.S)
    assert match, css_class
    return match.group(2)


def test_error_messages_and_notices_carry_furigana_in_easy_japanese(app, client):
    walk_forms(client, typical_answers() | {"language": "ja@easy"}, locale="ja@easy", until="future_areas")
    refused = client.post("/kiosk/step", data=MultiDict([("step", "future_areas"), ("value", "space_travel")]))
    assert refused.status_code == 422
    summary = _ruby_in(refused.get_data(as_text=True), "error-summary")
    # ここに ある 答《こた》えから えらんでください。
    assert "<ruby>答<rt>こた</rt></ruby>えから" in summary
    # A stale page's answer: the notice on the next page (a flashed message) has its readings too.
    assert client.post("/kiosk/step", data={"step": "notice", "value": "no"}).status_code == 302
    notice = _ruby_in(client.get("/kiosk/step").get_data(as_text=True), "notice")
    assert "<ruby>答<rt>こた</rt></ruby>えは、もう うけとって います" in notice


def test_error_with_a_value_keeps_its_readings_and_escapes_the_value(app, client):
    walk_forms(client, typical_answers() | {"language": "ja@easy"}, locale="ja@easy", until="future_picture")
    refused = client.post("/kiosk/step", data={"step": "future_picture", "value": "<b>" * 200})
    assert refused.status_code == 422
    summary = _ruby_in(refused.get_data(as_text=True), "error-summary")
    # %(max)s文字《もじ》までに してください（今《いま》は %(count)s文字《もじ》です）。
    assert "500<ruby>文字<rt>もじ</rt>" in summary and "600<ruby>文字" in summary
    assert "<b>" not in summary


def test_the_code_errors_have_furigana(app, client):
    client.get("/kiosk/?lang=ja@easy")
    page = client.post("/kiosk/resume", data={"code": "ZZZZ-9999", "locale": "ja@easy"})
    assert page.status_code == 422
    summary = _ruby_in(page.get_data(as_text=True), "error-summary")
    assert "<ruby>番号<rt>ばんごう</rt>" in summary and "<ruby>見<rt>み</rt>" in summary
    # A caseworker's ticket code that does not exist: この 番号《ばんごう》は 見《み》つかりません。
    landing = client.post("/kiosk/code", data={"code": "ABCDE-23456", "locale": "ja@easy"})
    assert landing.status_code == 422
    notice = _ruby_in(landing.get_data(as_text=True), "notice")
    assert "この <ruby>番号<rt>ばんごう</rt></ruby>は <ruby>見" in notice


def test_prefilled_actions_show_their_readings_beside_a_plain_field(app, client):
    answers = typical_answers() | {"language": "ja@easy"}
    answers.pop("action_ideas")
    walk_forms(client, answers, locale="ja@easy", until="action_ideas")
    ideas = client.get("/kiosk/step").get_data(as_text=True)
    first = re.search(r'type="checkbox" name="value" id="[^"]+" value="([^"]+)"', ideas).group(1)
    client.post("/kiosk/step", data={"step": "action_ideas", "value": first, "action": "continue"})
    page = client.get("/kiosk/step").get_data(as_text=True)
    field = re.search(r'<textarea id="item-0-text"[^>]*>(.*?)</textarea>', page, re.S).group(1)
    reading = _ruby_in(page, "prefill-reading")
    assert field and "ruby" not in field and "<rt>" in reading  # the field takes plain text; readings beside it
    assert without_readings(reading) == field
    # Sent as it was, the text has its readings again on the check page.
    data = {"step": "actions", "action": "continue", "item-0-text": field, **date_parts("item-0-date", day_ahead(2))}
    assert client.post("/kiosk/step", data=data | {"item-0-confidence": "7"}).status_code == 302
    check = client.get("/kiosk/step").get_data(as_text=True)
    assert reading in _ruby_in(check, "actions-list")
