"""The catalogues: every dialogue text is extracted with a context, and ja and en translate all of it."""

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from intake.i18n import catalogues
from intake.i18n.extract import extract_dialogue

ROOT = Path(__file__).resolve().parents[2]
COMPLETE_LOCALES = ("ja",)  # English is the source: no catalogue


@pytest.fixture(scope="module")
def fresh_template(tmp_path_factory):
    """What `flask intake i18n extract` finds in the tree right now."""
    out = tmp_path_factory.mktemp("pot") / "messages.pot"
    catalogues.extract(out)
    with out.open("rb") as handle:
        return read_po(handle)


def test_every_dialogue_prompt_is_extracted_with_its_context():
    path = ROOT / "dialogues" / "self_reliance.yaml"
    with path.open("rb") as handle:
        found = {message[0]: message[1] for _, _, message, _ in extract_dialogue(handle, {}, [], {})}
    from intake.domain.dialogue import load_dialogue

    dialogue = load_dialogue(path)
    for step in dialogue.steps.values():
        if step.prompt:
            assert found[f"self_reliance:{step.id}"] == step.prompt
        for option in step.options:
            assert found[option.context] == option.label


@pytest.mark.parametrize("locale", COMPLETE_LOCALES)
def test_the_shipped_catalogue_translates_every_extracted_string(fresh_template, locale):
    with (ROOT / "translations" / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalogue = read_po(handle)
    missing = [
        (m.context, m.id)
        for m in fresh_template
        if m.id and not (catalogue.get(m.id, context=m.context) and catalogue.get(m.id, context=m.context).string)
    ]
    # An awaited string may carry a fuzzy suggestion from `update`; the page never shows it.
    fuzzy = [(m.context, m.id) for m in catalogue if m.id and m.fuzzy]
    assert missing == [] and fuzzy == []
