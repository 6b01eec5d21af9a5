"""A Babel extractor for dialogue files and programs.yaml (see [tool.babel] in pyproject.toml).

Every translatable field becomes a `pgettext` message whose context names the dialogue, step and
part, with a translator comment saying where the text appears. It reads files with the engine's
own loader, so the msgids are exactly the strings the pages ask for.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..domain.dialogue import parse_dialogue
from ..domain.yamlfile import LineDict, load_text

Message = tuple[int, str, tuple[str, str], list[str]]


def extract_dialogue(fileobj, keywords, comment_tags, options) -> Iterator[Message]:
    """Yield (line, 'pgettext', (context, text), comments) for each translatable field."""
    source = getattr(fileobj, "name", "dialogue")
    data = load_text(fileobj.read().decode("utf-8"), str(source))
    if isinstance(data, LineDict) and "programs" in data:
        yield from _programs(data)
        return
    yield from _dialogue(data, str(source))


def _message(line: int, context: str, text: str, comment: str) -> Message:
    return line, "pgettext", (context, text), [f"i18n: {comment}"]


def _dialogue(data: LineDict, source: str) -> Iterator[Message]:
    dialogue = parse_dialogue(data, source)
    ctx = dialogue.context
    yield _message(
        data.line_of("title"), f"{dialogue.id}:title", dialogue.title, "The dialogue's title, at the top of the kiosk."
    )
    for section in dialogue.sections:
        yield _message(
            data.line_of("sections"),
            ctx("section", section.id),
            section.title,
            "A section title, shown with progress ('section 3 of 8: …').",
        )
    for step in dialogue.steps.values():
        if step.round > 1:
            continue  # a repeated step's text is one message for all rounds (its context has no number)
        where = f"Step '{step.text_key}' ({step.kind}) in section '{dialogue.section_of(step.id).title}'"
        if step.round:
            where += ", asked again for each item of a list"
        if step.prompt:
            note = (
                " Keep each %(name)s placeholder: it is filled with the recipient's earlier answers."
                if step.reflect
                else ""
            )
            yield _message(step.line, ctx(step.id), step.prompt, f"{where}: the question or message.{note}")
        if step.help:
            yield _message(step.line, ctx(step.id, "help"), step.help, f"{where}: help text under the question.")
        for source, option, text in step.help_by:
            yield _message(
                step.line,
                ctx(step.id, "help", source, option),
                text,
                f"{where}: help text under the question, shown instead when the answer to '{source}' is '{option}'.",
            )
        for part in ("low", "high"):
            if getattr(step, part):
                yield _message(
                    step.line,
                    ctx(step.id, part),
                    getattr(step, part),
                    f"{where}: the label of the {'0' if part == 'low' else '10'} end of the 0–10 scale.",
                )
        for option in step.options:
            meaning = f" It means: {option.help}" if option.help else ""
            yield _message(
                step.line,
                option.context,
                option.label,
                f"{where}: an answer the recipient can choose (stored as '{option.id}').{meaning}",
            )
            if option.help:
                yield _message(
                    step.line,
                    option.help_context,
                    option.help,
                    f"{where}: a plain explanation under the answer '{option.id}'.",
                )
            if option.short:
                yield _message(
                    step.line,
                    option.short_context,
                    option.short,
                    f"{where}: a short phrase for the answer '{option.id}' ({option.label}), repeated in a list "
                    "inside a later sentence; joined with the others by the language's list rules. "
                    "Write a phrase, not a sentence.",
                )
    for suggestion in dialogue.goal_suggestions:
        yield _message(
            data.line_of("goal_suggestions"),
            ctx("goal", suggestion.id),
            suggestion.text,
            f"A suggested goal sentence, in the recipient's voice (area '{suggestion.area}', kind '{suggestion.kind}').",
        )


def _programs(data: LineDict) -> Iterator[Message]:
    for entry in data["programs"]:
        program = entry.get("id")
        line = entry.line
        yield _message(line, f"program:{program}:name", entry["name"], f"The name of the support program '{program}'.")
        yield _message(
            line,
            f"program:{program}:description",
            entry["description"],
            f"One plain line describing the support program '{program}'.",
        )
        yield _message(
            line,
            f"program:{program}:action",
            entry["action"],
            f"A first action the recipient could take with program '{program}', in their own voice.",
        )
