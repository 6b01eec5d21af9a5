"""Each approved version is filed as a PDF: A4, Japanese text, Noto fonts embedded, kept unchanged with its SHA-256 logged."""

from __future__ import annotations

import hashlib
import io

from conftest import in_office, office_today
from pypdf import PdfReader
from staff import approve_typical_plan, make_office, new_case, sign_in, walk_with_code

from intake.domain.dates import add_months
from intake.extensions import db
from intake.records import AuditEntry, PlanDocument


def _approved_case(app, client) -> int:
    make_office(app)
    sign_in(client, "cw")
    case_id, code = new_case(client, number="R8-1201", name="高橋 健太")
    walk_with_code(app.test_client(), code, office_today())
    approve_typical_plan(client, case_id, office_today(), add_months(office_today(), 3))
    return case_id


def _embedded_fonts(reader: PdfReader) -> set[str]:
    names = set()
    for page in reader.pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for font in fonts.values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            for part in [font, *(d.get_object() for d in descendants or [])]:
                descriptor = part.get("/FontDescriptor")
                if descriptor is not None and any(
                    key in descriptor.get_object() for key in ("/FontFile", "/FontFile2", "/FontFile3")
                ):
                    names.add(str(part["/BaseFont"]))
    return names


def test_the_case_page_offers_the_pdf_of_each_version_and_it_is_an_a4_japanese_sheet(app, client):
    case_id = _approved_case(app, client)
    page = client.get(f"/caseworker/cases/{case_id}").get_data(as_text=True)
    assert f'href="/caseworker/cases/{case_id}/versions/1.pdf"' in page
    response = client.get(f"/caseworker/cases/{case_id}/versions/1.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.data))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    text = "".join("".join(p.extract_text().split()) for p in reader.pages)  # the title is letter-spaced
    assert "自立計画書" in text and "福祉事務所長殿" in text and "R8-1201" in text and "高橋" in text
    fonts = _embedded_fonts(reader)
    assert any("Noto-Sans-CJK-JP" in name for name in fonts), fonts  # subset, embedded (FontFile*)


def test_the_pdf_is_made_once_kept_unchanged_and_its_sha256_is_in_the_audit_log(app, client):
    case_id = _approved_case(app, client)
    first = client.get(f"/caseworker/cases/{case_id}/versions/1.pdf").data
    second = client.get(f"/caseworker/cases/{case_id}/versions/1.pdf").data
    assert first == second
    digest = hashlib.sha256(first).hexdigest()
    with in_office(app):
        assert db.session.scalar(db.select(db.func.count(PlanDocument.id))) == 1
        filed = db.session.scalars(db.select(AuditEntry).filter_by(case_id=case_id, action="file_pdf")).all()
    assert [entry.detail for entry in filed] == [f"version 1 sha256 {digest}"]


def test_a_version_that_does_not_exist_has_no_pdf(app, client):
    case_id = _approved_case(app, client)
    assert client.get(f"/caseworker/cases/{case_id}/versions/2.pdf").status_code == 404
    with in_office(app):
        assert db.session.scalar(db.select(db.func.count(PlanDocument.id))) == 0
