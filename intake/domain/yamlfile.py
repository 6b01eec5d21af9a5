"""YAML loading that keeps the line of every mapping and key, so errors can say where."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml


class LineDict(dict):
    """A dict read from YAML that knows its own line and the line of each key (1-based)."""

    line: int = 0
    key_lines: dict

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class LineList(list):
    """A list read from YAML that knows its line."""

    line: int = 0


class _KeepLines:
    """Constructor methods that record lines; mixed into a PyYAML loader class."""

    def construct_mapping(self, node, deep=False):
        mapping = LineDict(super().construct_mapping(node, deep=True))
        mapping.line = node.start_mark.line + 1
        mapping.key_lines = {
            self.construct_object(key_node): key_node.start_mark.line + 1
            for key_node, _ in node.value
            if isinstance(key_node, yaml.ScalarNode)
        }
        return mapping

    def construct_sequence(self, node, deep=False):
        items = LineList(super().construct_sequence(node, deep=True))
        items.line = node.start_mark.line + 1
        return items


def line_loader(base: type) -> type:
    """A safe loader on `base`'s parser whose mappings and lists know their lines."""
    loader = type(f"Line{base.__name__}", (_KeepLines, base), {})
    loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, loader.construct_mapping)
    loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, loader.construct_sequence)
    return loader


# libyaml's parser (CSafeLoader) is about ten times faster than the pure-Python one and its nodes keep
# their marks, so lines still work; PyYAML built without libyaml falls back to the pure-Python loader.
_LineLoader = line_loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader))


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a data file, located."""

    file: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.reason}"


class DataFileError(Exception):
    """A data file that cannot be used; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def load(path: Path) -> object:
    """Read a YAML file; a syntax error becomes a located DataFileError."""
    return load_text(path.read_text(encoding="utf-8"), str(path))


def load_text(text: str, source: str) -> object:
    try:
        return yaml.load(text, Loader=_LineLoader)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark else 0
        raise DataFileError([Problem(source, line, f"YAML syntax: {err.problem}")]) from err
