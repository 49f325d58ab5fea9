"""Pure: a YAML loader for files from outside (deck uploads). It refuses anchors and aliases
(so nothing can be expanded a billion times) and nesting deeper than MAX_DEPTH (so neither the
parser nor the checker recurses without bound). Only then does yaml.safe_load build the data."""

from __future__ import annotations

import yaml

MAX_DEPTH = 20  # a deck needs 7 (deck → dilemmas → dilemma → options → option → label → text)


class UnsafeYaml(ValueError):
    """The text uses a YAML feature that deck files may not use; `line` counts from 1."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.line = line


def _line(event) -> int | None:
    mark = getattr(event, "start_mark", None)
    return mark.line + 1 if mark else None


def check(text: str, max_depth: int = MAX_DEPTH) -> None:
    """Walk the YAML events (a flat stream: nothing is built yet) and refuse what is unsafe."""
    depth = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise UnsafeYaml("anchors and aliases (& and *) are not allowed; write each text out", _line(event))
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > max_depth:
                raise UnsafeYaml(f"nested too deep (more than {max_depth} levels)", _line(event))
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def load(text: str, max_depth: int = MAX_DEPTH):
    """yaml.safe_load after check(): raises UnsafeYaml or yaml.YAMLError."""
    check(text, max_depth)
    return yaml.safe_load(text)
