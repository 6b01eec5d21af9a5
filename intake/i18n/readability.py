"""How hard each Easy Japanese string reads: a jReadability score, a band in plain words, the hardest flagged.

The score is Lee & Hasebe's jReadability formula (the `jreadability` package, on MeCab via fugashi
and UniDic-lite): from the mean sentence length in words and the shares of Sino-Japanese words
(kango), native words, verbs and particles. Higher is easier; their bands run from about 0.5
(upper advanced) to 6.5 (lower elementary). It was fitted on passages, so a string of fewer than
MIN_WORDS words (a button, a label) is not scored. A translators' tool: the analyser is in the
`translators` extra, never needed to serve pages, so `ReadabilityUnavailable` says how to install it.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

EASY_LOCALE = "ja@easy"
MIN_WORDS = 8  # shorter strings are labels: the formula says nothing useful about them
HARD_BELOW = 2.5  # "hard" and "very hard" are flagged for a rewrite
# (lowest score of the band, plain words, Lee & Hasebe's level), easiest first.
BANDS = (
    (5.5, "very easy", "lower elementary"),
    (4.5, "easy", "upper elementary"),
    (3.5, "fairly easy", "lower intermediate"),
    (2.5, "medium", "upper intermediate"),
    (1.5, "hard", "lower advanced"),
    (float("-inf"), "very hard", "upper advanced"),
)
_PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


class ReadabilityUnavailable(RuntimeError):
    """The analyser is not installed (it is a translators' tool)."""


@dataclass(frozen=True)
class Score:
    """One translated string and how hard it reads."""

    context: str | None
    source: str  # the English
    text: str  # the translation as scored (first plural form)
    words: int
    score: float | None  # None: too short to score

    @property
    def band(self) -> str:
        return band(self.score)[0] if self.score is not None else "too short to score"

    @property
    def level(self) -> str:
        return band(self.score)[1] if self.score is not None else ""

    @property
    def hard(self) -> bool:
        return self.score is not None and self.score < HARD_BELOW


def band(score: float) -> tuple[str, str]:
    """The plain-words band and the reader level of a score."""
    return next((words, level) for lowest, words, level in BANDS if score >= lowest)


@lru_cache(maxsize=1)
def _analyser():
    """(MeCab's tagger, jreadability's formula): every import of the extra is here, behind the one guard."""
    try:
        import fugashi
        from jreadability import compute_readability
    except ImportError as missing:
        raise ReadabilityUnavailable(
            "Readability scores need jreadability, fugashi and unidic-lite: pip install -e '.[translators]'"
        ) from missing
    return fugashi.Tagger(), compute_readability


def score_text(text: str) -> tuple[int, float | None]:
    """(words, score) of one text; placeholders such as %(goal)s are left out."""
    tagger, compute_readability = _analyser()
    plain = _PLACEHOLDER.sub("", text).strip()
    words = len(tagger(plain)) if plain else 0
    return words, compute_readability(plain, tagger) if words >= MIN_WORDS else None


def scores(po: Path) -> list[Score]:
    """Every translated string of a catalogue (fuzzy ones too), with its score: hardest first, unscored last."""
    stamp = po.stat().st_mtime_ns if po.exists() else 0
    return list(_scores(po, stamp))


@lru_cache(maxsize=4)
def _scores(po: Path, stamp: int) -> tuple[Score, ...]:
    from . import catalogues

    if not stamp:
        return ()
    found = []
    for message in catalogues.read(po):
        if not message.id or not message.string:
            continue
        text = message.string[0] if isinstance(message.string, tuple | list) else message.string
        source = message.id[0] if isinstance(message.id, tuple | list) else message.id
        if not text:
            continue
        words, score = score_text(text)
        found.append(Score(message.context, source, text, words, score))
    return tuple(sorted(found, key=lambda s: (s.score is None, s.score if s.score is not None else 0.0)))


@dataclass(frozen=True)
class Summary:
    scored: int
    median: float | None
    hard: int

    @property
    def band(self) -> str:
        return band(self.median)[0] if self.median is not None else ""


def summary(found: list[Score]) -> Summary:
    values = [s.score for s in found if s.score is not None]
    return Summary(len(values), statistics.median(values) if values else None, sum(1 for s in found if s.hard))
