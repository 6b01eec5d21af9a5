"""Furigana: readings stored beside a Japanese catalogue, their notation, and the analyser that proposes them.

A locale that shows furigana keeps `translations/<locale>/LC_MESSAGES/readings.po` next to its
`messages.po`. It is an ordinary gettext catalogue, so Poedit or Weblate edit it like any other:
each msgid is a Japanese text exactly as `messages.po` translates it, and its msgstr is the same
text with readings in Aozora Bunko notation (the one Japanese editors know): `｜今日《きょう》`,
or `天気《てんき》` where the base is the run of kanji just before `《`. `messages.po` stays plain
text, so `check` compares placeholders and markup as usual and the caseworker reads clean Japanese.

The analyser (fugashi + unidic-lite) runs only in `flask intake i18n readings`; a proposal is
stored with the `fuzzy` flag until a translator confirms it. The page never analyses text: a text
without a stored reading is shown without furigana.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po
from markupsafe import Markup, escape

READINGS_FILE = "readings.po"
# The catalogue's messages a reading is written for: Japanese text that holds a kanji.
_KANJI = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々〆ヶ"
_HAS_KANJI = re.compile(f"[{_KANJI}]")
_KANJI_RUN = re.compile(f"[{_KANJI}]+$")
_KANA_ONLY = re.compile(r"^[\u3041-\u309f\u30a0-\u30ffー]+$")
# ｜base《reading》, or base《reading》 where base is the run of kanji before 《.
_ANNOTATION = re.compile(r"｜([^｜《》]+)《([^《》]*)》|《([^《》]*)》")
HEADER = """\
# Furigana for the %s catalogue (messages.po beside this file). See docs/translators.md.
# msgid: the Japanese text exactly as messages.po has it. msgstr: the same text with readings,
# ｜漢字《かんじ》 or 漢字《かんじ》. 'fuzzy' marks a reading the analyser proposed and nobody checked yet.
#"""
_PROPOSED_NOTE = "i18n: reading proposed by the analyser (fugashi + unidic-lite); correct it and clear 'fuzzy'."


class ReadingError(ValueError):
    """An annotated text that cannot be read: an empty or non-kana reading, or a reading with no base."""


@dataclass(frozen=True)
class Segment:
    """A piece of text, with its reading when it is the base of a ruby."""

    text: str
    reading: str | None = None


def has_kanji(text: str) -> bool:
    return bool(_HAS_KANJI.search(text))


def parse(annotated: str) -> list[Segment]:
    """Split Aozora-style annotated text into plain and ruby segments; ReadingError if malformed."""
    segments: list[Segment] = []
    position = 0
    for match in _ANNOTATION.finditer(annotated):
        before = annotated[position : match.start()]
        if match.group(1) is not None:
            base, reading = match.group(1), match.group(2)
        else:
            reading = match.group(3)
            run = _KANJI_RUN.search(before)
            if run is None:
                raise ReadingError(f"《{reading}》 follows no kanji: write ｜base《reading》")
            base = run.group(0)
            before = before[: run.start()]
        if not reading or not _KANA_ONLY.match(reading):
            raise ReadingError(f"the reading of '{base}' must be kana, not '{reading}'")
        if before:
            segments.append(Segment(before))
        segments.append(Segment(base, reading))
        position = match.end()
    rest = annotated[position:]
    if "《" in rest or "》" in rest or "｜" in rest:
        raise ReadingError("an unmatched ｜, 《 or 》")
    if rest:
        segments.append(Segment(rest))
    return segments


def plain(annotated: str) -> str:
    """The text without its readings: must equal the catalogue text the readings belong to."""
    return "".join(segment.text for segment in parse(annotated))


def to_html(annotated: str) -> Markup:
    """<ruby>base<rt>reading</rt></ruby> markup, every piece of text escaped.

    No <rp> fallback parentheses: every browser the kiosk supports lays out ruby, and at about a quarter of a
    Japanese question's elements they were a measurable part of each tap's parsing and styling
    (docs/performance.md); spoken and plain text drop the readings anyway."""
    parts = []
    for segment in parse(annotated):
        if segment.reading is None:
            parts.append(escape(segment.text))
        else:
            parts.append(Markup("<ruby>{}<rt>{}</rt></ruby>").format(segment.text, segment.reading))
    return Markup("").join(parts)


# -- The stored readings ---------------------------------------------------------------------------


def readings_path(translations: Path, locale: str) -> Path:
    return translations / locale / "LC_MESSAGES" / READINGS_FILE


def load(path: Path) -> Catalog | None:
    if not path.exists():
        return None
    with path.open("rb") as handle:
        return read_po(handle, abort_invalid=True)


@lru_cache(maxsize=32)
def _table(path: str, _mtime: float) -> Mapping[str, Markup]:
    try:
        catalog = load(Path(path))
    except Exception:  # noqa: BLE001 - a broken file must cost the furigana, never the page (`check` reports it)
        logging.getLogger(__name__).exception("cannot read readings from %s", path)
        return {}
    table = {}
    for message in catalog or ():
        if message.id and message.string:
            try:
                table[message.id] = to_html(message.string)
            except ReadingError:  # `check` reports it; the page shows the text without furigana
                continue
    return table


def table(translations: Path, locale: str) -> Mapping[str, Markup]:
    """Japanese text → its ruby markup, for one locale (re-read when the file changes)."""
    path = readings_path(translations, locale)
    try:
        mtime = path.stat().st_mtime
    except FileNotFoundError:
        return {}
    return _table(str(path), mtime)


# -- Proposals ---------------------------------------------------------------------------------------


def _hiragana(katakana: str) -> str:
    return "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in katakana)


def _align(surface: str, reading: str) -> list[Segment]:
    """Readings for the kanji of one word, okurigana left outside: 食べる/たべる → 食《た》べる."""
    pattern, runs = "", []
    for run in re.findall(f"[{_KANJI}]+|[^{_KANJI}]+", surface):
        if _HAS_KANJI.match(run):
            pattern += "(.+?)"
            runs.append((run, True))
        else:
            pattern += re.escape(_hiragana(run))
            runs.append((run, False))
    match = re.fullmatch(pattern, reading)
    if match is None:  # the reading does not line up with the kana in the word: one ruby for all of it
        return [Segment(surface, reading)]
    groups = iter(match.groups())
    return [Segment(run, next(groups)) if is_kanji else Segment(run) for run, is_kanji in runs]


def _annotate(segments: Iterable[Segment]) -> str:
    """Aozora notation; ｜ only where the base would otherwise be misread."""
    out = ""
    for segment in segments:
        if segment.reading is None:
            out += segment.text
            continue
        explicit = not _KANJI_RUN.fullmatch(segment.text) or (out and _HAS_KANJI.match(out[-1]))
        out += f"{'｜' if explicit else ''}{segment.text}《{segment.reading}》"
    return out


_LONGEST_BASE = 4  # segments a confirmed base may span (日本 + 語, 2 + 人)


def _prefer(segments: list[Segment], confirmed: Mapping[str, str]) -> list[Segment]:
    """Replace runs of segments that spell a confirmed base with that base and its confirmed reading."""
    if not confirmed:
        return segments
    out: list[Segment] = []
    index = 0
    while index < len(segments):
        for width in range(min(_LONGEST_BASE, len(segments) - index), 0, -1):
            window = segments[index : index + width]
            base = "".join(s.text for s in window)
            if base in confirmed and any(s.reading for s in window):
                out.append(Segment(base, confirmed[base]))
                index += width
                break
        else:
            out.append(segments[index])
            index += 1
    return out


def confirmed_readings(catalog: Catalog | None) -> dict[str, str]:
    """Base → reading from the entries a translator confirmed (not fuzzy), where they all agree."""
    seen: dict[str, str] = {}
    disputed: set[str] = set()
    for message in catalog or ():
        if not message.id or not message.string or message.fuzzy:
            continue
        try:
            segments = parse(message.string)
        except ReadingError:
            continue
        for segment in segments:
            if segment.reading and seen.setdefault(segment.text, segment.reading) != segment.reading:
                disputed.add(segment.text)  # 今日 is きょう here, こんにち there: leave it to the analyser
    return {base: reading for base, reading in seen.items() if base not in disputed}


class Analyser:
    """Proposes readings with MeCab (fugashi) and the UniDic-lite dictionary; used by the CLI only."""

    def __init__(self):
        try:
            import fugashi
        except ImportError as err:  # an optional extra: runtime never needs it
            raise RuntimeError(
                "Proposing readings needs fugashi and unidic-lite: pip install -e '.[translators]'"
            ) from err
        self._tagger = fugashi.Tagger()

    def propose(self, text: str, confirmed: Mapping[str, str] | None = None) -> str:
        """The text in Aozora notation, with a reading for every word that holds a kanji.

        `confirmed` (base → reading, from readings translators checked) wins over the dictionary,
        so a correction made once (日本語《にほんご》, ｜2人《ふたり》) is proposed again in new text.
        """
        segments: list[Segment] = []
        for word in self._tagger(text):
            if word.white_space:
                segments.append(Segment(word.white_space))
            kana = getattr(word.feature, "kana", None)
            if has_kanji(word.surface) and kana and kana != "*":
                segments += _align(word.surface, _hiragana(kana))
            else:
                segments.append(Segment(word.surface))
        proposed = _annotate(_prefer(segments, confirmed or {}))
        # MeCab drops some whitespace (newlines inside a text, trailing spaces): never change the text.
        return proposed if plain(proposed) == text else text


def _first(value):
    return value[0] if isinstance(value, tuple | list) else value


def translated_texts(message) -> list[str]:
    """The reviewed translations of a message: one text, or every plural form."""
    if not message.id or message.fuzzy or not message.string:
        return []
    strings = message.string if isinstance(message.string, tuple | list) else [message.string]
    return [text for text in strings if text]


def refresh(messages: Catalog, existing: Catalog | None, analyser: Analyser, locale: str) -> tuple[Catalog, int]:
    """The readings catalogue for a messages catalogue: kept readings, new proposals (fuzzy), stale ones dropped."""
    readings = Catalog(locale=locale, project="Yorisoi", version="1", fuzzy=False, header_comment=HEADER % locale)
    if existing is not None:  # a refresh that changes nothing leaves the file as it was
        readings.creation_date = existing.creation_date
    kept = {m.id: m for m in (existing or ()) if m.id and m.string}
    confirmed = confirmed_readings(existing)
    where: dict[str, list[str]] = {}
    for message in messages:
        for text in translated_texts(message):
            if has_kanji(text):
                where.setdefault(text, []).append(message.context or _first(message.id))
    proposed = 0
    for text, contexts in where.items():
        note = "i18n: used for " + ", ".join(contexts[:3]) + (" …" if len(contexts) > 3 else "")
        old = kept.get(text)
        if old is not None:
            readings.add(text, old.string, auto_comments=[note], flags=old.flags, user_comments=old.user_comments)
        else:
            proposal = analyser.propose(text, confirmed)
            readings.add(text, proposal, auto_comments=[note, _PROPOSED_NOTE], flags={"fuzzy"})
            proposed += 1
    return readings, proposed


def save(catalog: Catalog, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalog, width=100, omit_header=False, sort_output=False)


def problems(messages: Catalog, readings: Catalog | None) -> list[str]:
    """What `check` reports about one locale's readings: missing, empty, stale or malformed."""
    return [problem for problem, _entry, _in_readings in located_problems(messages, readings)]


def located_problems(messages: Catalog, readings: Catalog | None) -> list[tuple[str, object, bool]]:
    """Each problem with the entry to open: (what is wrong and how to fix it, entry, is it in readings.po)."""
    found = []
    stored = {m.id: m for m in (readings or ()) if m.id}
    texts: dict[str, object] = {}
    for message in messages:
        for text in translated_texts(message):
            if has_kanji(text):
                texts.setdefault(text, message)
    for text in sorted(texts):
        entry = stored.get(text)
        label = text if len(text) <= 40 else text[:40] + "…"
        if entry is None:
            found.append(
                (
                    f"no reading for '{label}' — run `flask intake i18n readings` and check what it proposes",
                    texts[text],
                    False,
                )
            )
        elif not entry.string:
            found.append(
                (f"empty reading for '{label}' — write the text with its readings, 漢字《かんじ》", entry, True)
            )
        else:
            try:
                if plain(entry.string) != text:
                    found.append(
                        (
                            f"the reading of '{label}' does not spell the same text — the msgstr without its 《readings》"
                            " must be exactly the msgid",
                            entry,
                            True,
                        )
                    )
            except ReadingError as err:
                found.append((f"reading of '{label}': {err}", entry, True))
    return found
