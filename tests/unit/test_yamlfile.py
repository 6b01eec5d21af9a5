"""Data files are read with libyaml's parser and still know the line of every mapping, key and list."""

import yaml

from intake.domain import yamlfile


def test_lines_of_mappings_keys_and_lists():
    data = yamlfile.load_text("title: x\nsteps:\n  - id: a\n    kind: text\n  - id: b\n", "t.yaml")
    assert data.line == 1
    assert data.line_of("steps") == 2
    assert data["steps"].line == 3
    assert [step.line for step in data["steps"]] == [3, 5]
    assert data["steps"][0].line_of("kind") == 4


def test_syntax_error_is_located():
    try:
        yamlfile.load_text("a: 1\nb: [\n", "bad.yaml")
    except yamlfile.DataFileError as error:
        assert error.problems[0].file == "bad.yaml"
        assert error.problems[0].line >= 2
    else:
        raise AssertionError("a syntax error was accepted")


def test_uses_libyaml_when_pyyaml_has_it():
    # The pure-Python parser made create_app four times slower (docs/performance.md).
    assert yaml.__with_libyaml__, "PyYAML was built without libyaml"
    assert issubclass(yamlfile._LineLoader, yaml.CSafeLoader)


def test_both_parsers_read_the_dialogues_alike():
    from intake.config import ROOT

    pure = yamlfile.line_loader(yaml.SafeLoader)
    for path in (ROOT / "dialogues").glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        fast, slow = yaml.load(text, Loader=yamlfile._LineLoader), yaml.load(text, Loader=pure)
        assert fast == slow
        assert (fast.line, fast.key_lines) == (slow.line, slow.key_lines)
        steps = fast.get("steps") or []
        assert [s.line for s in steps] == [s.line for s in slow.get("steps") or []]
