"""The kiosk page and the JSON API show a step from one view: the same prompt, help, options and section."""

import html
import re

from conftest import current_step_id
from walk import api_body, typical_answers


def _texts(page: str) -> str:
    """The page's text, markup removed, as a reader sees it."""
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def test_page_and_api_show_the_same_step_at_every_question(client):
    client.post("/kiosk/start", data={"locale": "en"})
    page = client.get("/kiosk/step").get_data(as_text=True)
    token = re.search(r'data-intake="([^"]+)"', page).group(1)
    answers = dict(typical_answers(), language="en")
    kinds = set()
    for _ in range(40):
        data = client.get(f"/api/v1/intakes/{token}").get_json()
        step = data["step"]
        page = client.get("/kiosk/step").get_data(as_text=True)
        if step["kind"] == "done":
            break
        kinds.add(step["kind"])
        assert current_step_id(page) == step["id"]
        text = _texts(page)
        assert data["section"]["title"] in text
        assert all(line in text for line in step["prompt"].split("\n") if line.strip()), step["id"]
        assert step["help"] in text
        assert all(option["label"] in text for option in step["options"]), step["id"]
        for row in step.get("answers", []):
            assert row["prompt"].split("\n")[0] in text
        if "scale" in step:
            assert step["scale"]["low"] in text and step["scale"]["high"] in text
        response = client.post(
            f"/api/v1/intakes/{token}/answer",
            json=api_body(step, answers),
            headers={"X-CSRFToken": data["csrf_token"]},
        )
        assert response.status_code == 200, response.get_data(as_text=True)
    assert {"single_choice", "multi_choice", "scale", "actions", "check", "consent"} <= kinds


def test_a_refused_answer_comes_back_as_the_page_with_its_messages(client):
    """What kiosk.js swaps in: the same page, status 422, the messages above their fields."""
    client.post("/kiosk/start", data={"locale": "en"})
    response = client.post("/kiosk/step", data={"step": "welcome", "action": "continue"})
    assert response.status_code == 302
    client.post("/kiosk/step", data={"step": "language", "value": "en"})
    response = client.post("/kiosk/step", data={"step": "notice"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'class="error-summary"' in page and 'class="error-message" id="error-answer"' in page
    assert "<title>Error:" in page
