"""How long the Easy Japanese (ja@easy) dialogue sentences are: the guideline wants short sentences.

The 2020 national guideline for Easy Japanese (在留支援のためのやさしい日本語ガイドライン) asks for one
idea per sentence and short sentences. This module measures the dialogue's sentences in the ja@easy
catalogue: a sentence is what lies between 。！？ and line breaks; its length counts characters but not
spaces (Easy Japanese puts a space between phrases), not furigana readings, and not a `%(name)s`
placeholder (filled with the recipient's own answers). The catalogue test fails when more than
`MAX_LONG_SHARE` of the sentences are over `MAX_SENTENCE_LENGTH` characters, and names the longest.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from babel.messages.pofile import read_po

MAX_SENTENCE_LENGTH = 30
MAX_LONG_SHARE = 0.05
DIALOGUE_SOURCES = "dialogues/"  # where a dialogue text comes from (the `#:` location of its entry)

_SENTENCE_END = re.compile(r"(?<=[。！？])|\n")
_NOT_COUNTED = re.compile(r"%\([a-z_]+\)s|《[^》]*》|[｜\s\u3000]")


@dataclass(frozen=True)
class Sentence:
    text: str
    context: str  # the catalogue entry's msgctxt
    line: int  # its line in the catalogue

    @property
    def length(self) -> int:
        return sentence_length(self.text)


def sentence_length(text: str) -> int:
    """Characters a reader reads: spaces, readings (《…》, ｜) and placeholders are not counted."""
    return len(_NOT_COUNTED.sub("", text))


def sentences(text: str) -> list[str]:
    """A text split after 。！？ and at line breaks; empty pieces dropped."""
    return [piece.strip() for piece in _SENTENCE_END.split(text) if piece and piece.strip()]


def dialogue_sentences(catalogue: Path) -> list[Sentence]:
    """Every sentence of a translated dialogue text (prompts, help, options, programs) in a messages.po."""
    with catalogue.open("rb") as handle:
        catalog = read_po(handle)
    found = []
    for message in catalog:
        if not message.id or not message.context or message.fuzzy:
            continue
        if not any(str(path).startswith(DIALOGUE_SOURCES) for path, _line in message.locations):
            continue
        strings: Iterable[str] = message.string if isinstance(message.string, tuple) else [message.string]
        for string in strings:
            found.extend(Sentence(s, message.context, message.lineno) for s in sentences(string or ""))
    return found


def long_sentences(found: list[Sentence], limit: int = MAX_SENTENCE_LENGTH) -> list[Sentence]:
    """The sentences over `limit` characters, longest first."""
    return sorted((s for s in found if s.length > limit), key=lambda s: -s.length)
