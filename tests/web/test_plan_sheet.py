"""The printed sheet fits the office: its name and head in the addressee, the 決裁欄 where plans are signed off,
every label of the recipient's copy in their language, and the ticket slip in their language beside Japanese."""

from __future__ import annotations

import html
import re

from staff import approved_case, make_office, recipient_text, sign_in

from intake.extensions import db
from intake.records import DEFAULT_OFFICE_CODE, Office


def _approved(app, client, language: str = "en") -> int:
    make_office(app)
    sign_in(client, "cw")
    return approved_case(app, client, number="R8-0501", language=language)


def _sheet(client, case_id: int, copy: bool = False) -> str:
    query = "?copy=recipient" if copy else ""
    return html.unescape(client.get(f"/caseworker/cases/{case_id}/versions/1/print{query}").get_data(as_text=True))


def _name_the_office(app, name: str, head_title: str = "") -> None:
    with app.app_context():
        office = db.session.execute(db.select(Office).filter_by(code=DEFAULT_OFFICE_CODE)).scalar_one()
        office.name, office.head_title = name, head_title
        db.session.commit()


def test_the_addressee_is_the_offices_head_by_name(app, client):
    case_id = _approved(app, client)
    _name_the_office(app, "みなと市福祉事務所")  # no head's title: the office's name + 長
    addressee = re.search(r'data-testid="addressee">(.*?)</p>', _sheet(client, case_id), re.S).group(1)
    assert "みなと市福祉事務所長 殿" in addressee
    _name_the_office(app, "みなと市福祉事務所", head_title="みなと市長")  # the office names its head itself
    assert "みなと市長 殿" in _sheet(client, case_id)
    copy = _sheet(client, case_id, copy=True)
    assert "みなと市長 殿" in copy
    assert recipient_text(app, "plan copy", "To the head of %(office)s", "en", office="みなと市福祉事務所") in copy


def test_the_sign_off_box_is_printed_where_the_office_signs_plans_off(app, client):
    case_id = _approved(app, client)
    assert 'data-testid="sign-off-box"' not in _sheet(client, case_id)
    app.config["SUPERVISOR_SIGN_OFF"] = True
    client.post("/caseworker/logout")
    sign_in(client, "sv")
    assert client.post(f"/caseworker/cases/{case_id}/versions/1/sign-off").status_code == 303
    sheet = _sheet(client, case_id)
    box = sheet[sheet.index('data-testid="sign-off-box"') :]
    box = box[: box.index("</table>")]
    assert "決裁欄" in box and "査察指導員" in box and "supervisor sv" in box and "caseworker cw" in box
    assert 'data-testid="sign-off-box"' not in _sheet(client, case_id, copy=True)  # the office's, not the recipient's


def test_every_label_of_the_recipients_copy_is_in_their_language(app, client):
    case_id = _approved(app, client, language="vi")
    copy = _sheet(client, case_id, copy=True)
    for label in (
        "Self-reliance plan",
        "What I will do to reach the goal",
        "I agree to the plan above.",
        "Name",
        "Case number",
        "Version",
        "Goal",
        "Kind of self-reliance",
        "Target date",
        "Signature",
        "Caseworker",
        "Next review",
        "Consent",
        "Support and plan",
        "Progress",
        "Evaluation",
    ):
        assert recipient_text(app, "plan copy", label, "vi") in copy, label
    note = re.search(r'data-testid="copy-note">(.*?)</p>', copy, re.S).group(1)
    assert note == recipient_text(
        app,
        "plan copy",
        "Your copy. Each part is written first in Japanese, as in the plan the office keeps, then in your "
        "language. Your own words are kept as you wrote them.",
        "vi",
    )
    assert "left" not in note  # the wording matches the stacked layout


def test_the_ticket_slip_is_in_the_recipients_language_beside_japanese(app, client):
    make_office(app)
    sign_in(client, "cw")
    response = client.post(
        "/caseworker/cases/new",
        data={
            "case_number": "R8-0601",
            "name": "Nguyen An",
            "name_reading": "ぐえん あん",
            "language": "vi",
            "note": "",
            "ticket": "yes",
        },
    )
    slip = html.unescape(client.get(response.headers["Location"]).get_data(as_text=True))
    assert recipient_text(app, "ticket slip", "Your code for the kiosk", "ja") in slip  # the Japanese
    assert recipient_text(app, "ticket slip", "Your code for the kiosk", "vi") in slip and 'lang="vi"' in slip
    how = "Type this code at the kiosk, or scan the QR code, to prepare your self-reliance plan. It works once."
    japanese = re.search(r'data-testid="slip-how">(.*?)</p>', slip, re.S).group(1)
    assert japanese == recipient_text(app, "ticket slip", how, "ja")  # the recipient's Japanese, not a staff string
    other = re.search(r'data-testid="slip-other">(.*?)</p>', slip, re.S).group(1)
    assert other == recipient_text(
        app,
        "ticket slip",
        "Type this code at the kiosk, or scan the QR code, to prepare your self-reliance plan. It works once.",
        "vi",
    )
