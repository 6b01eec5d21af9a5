"""Staff pages refuse and fail in Japanese, on the workspace's own styled page."""

from __future__ import annotations

from staff import make_office, new_case, sign_in, translated


def test_a_missing_case_is_a_japanese_404_page(app, client):
    make_office(app)
    sign_in(client, "cw")
    response = client.get("/caseworker/cases/999999")
    page = response.get_data(as_text=True)
    assert response.status_code == 404
    assert translated(app, "Not found") in page and 'class="staff-header"' in page
    assert "The requested URL was not found" not in page


def test_another_caseworkers_case_is_a_japanese_403_page(app, client):
    make_office(app)
    other = app.test_client()
    sign_in(other, "cw3")
    case_id, _ = new_case(other, ticket=False)
    sign_in(client, "cw")
    response = client.get(f"/caseworker/cases/{case_id}")
    page = response.get_data(as_text=True)
    assert response.status_code == 403 and "<h1>Forbidden</h1>" not in page
    assert translated(app, "Not possible") in page


def test_a_server_error_on_a_staff_page_is_a_japanese_500_page(make_app):
    app = make_app(PROPAGATE_EXCEPTIONS=False)
    make_office(app)
    client = app.test_client()
    sign_in(client, "cw")

    def broken(*_args, **_kwargs):
        raise RuntimeError("boom")

    app.view_functions["caseworker.walk_ins"] = broken
    response = client.get("/caseworker/walk-ins")
    page = response.get_data(as_text=True)
    assert response.status_code == 500 and "boom" not in page
    assert translated(app, "A server error") in page and 'class="staff-header"' in page
