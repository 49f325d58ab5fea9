"""Pure: load and validate decks (YAML). Every error names the file, the dilemma and the field."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from . import safe_yaml
from .domain import LANGUAGES, Deck, Dilemma, Option, Value

ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,59}$")
ROLES = ("employee", "leader", "both")
FOCUSES = ("relations", "patterns")
# field -> (min, max) characters, per language
LENGTHS = {
    "title": (1, 80),
    "description": (0, 400),
    "text": (120, 600),
    "question": (1, 200),
    "label": (1, 200),
    "debrief": (1, 300),
    "tip": (1, 400),
}
VOCABULARY_FILE = "values.yaml"
MAX_DECK_BYTES = 256 * 1024
MAX_PROBLEMS = 50  # a deck with more is reported with its first 50 and a count of the rest
# Problems echo parts of the file; each part is cut to these many characters (issue 10: a
# crafted file once made every message repeat a megabyte-long text).
CLIP = {"file": 200, "dilemma": 80, "field": 120, "message": 300}


def clip(text, limit: int) -> str:
    """`text` as a string of at most `limit` characters (an ellipsis marks a cut)."""
    if not isinstance(text, str):
        text = str(text) if isinstance(text, int | float) else f"<{type(text).__name__}>"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def shown(value, limit: int = 60) -> str:
    """A user's value for a message: a short repr of a string or number, else just its type."""
    if isinstance(value, str | int | float | bool) or value is None:
        return clip(repr(value), limit)
    return f"<{type(value).__name__}>"


@dataclass(frozen=True)
class Problem:
    file: str
    dilemma: str | None
    field: str
    message: str

    def __post_init__(self):
        for name, limit in CLIP.items():
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, clip(value, limit))

    def __str__(self) -> str:
        where = self.file + (f" · {self.dilemma}" if self.dilemma else "")
        return f"{where} · {self.field}: {self.message}"


def capped(problems: list[Problem]) -> list[Problem]:
    """At most MAX_PROBLEMS problems, then one that counts the rest."""
    if len(problems) <= MAX_PROBLEMS + 1:  # the checker's own list ends in its "more" line
        return problems
    rest = len(problems) - MAX_PROBLEMS
    return problems[:MAX_PROBLEMS] + [Problem(problems[0].file, None, "deck", f"… and {rest} more problems")]


class DeckError(Exception):
    def __init__(self, problems: list[Problem]):
        problems = capped(problems)
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


class _Vocabulary(frozenset):
    """Value ids; asking about something that is not a string (a mapping in a crafted deck)
    answers False instead of raising TypeError."""

    def __contains__(self, item) -> bool:
        return isinstance(item, str) and frozenset.__contains__(self, item)


def load_vocabulary(path: Path) -> tuple[Value, ...]:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    values = tuple(Value(v["id"], dict(v["label"])) for v in data["values"])
    return values


def _parse_yaml(text: str, name: str) -> dict:
    try:
        data = safe_yaml.load(text)
    except safe_yaml.UnsafeYaml as exc:
        where = f" (line {exc.line})" if exc.line else ""
        raise DeckError([Problem(name, None, "yaml", f"{exc}{where}")]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark else ""
        raise DeckError([Problem(name, None, "yaml", f"not valid YAML{where}")]) from None
    if not isinstance(data, dict):
        raise DeckError([Problem(name, None, "deck", "the file must hold a mapping with id, title and dilemmas")])
    return data


class _Checker:
    def __init__(self, name: str, vocabulary: tuple[Value, ...]):
        self.name = name
        self.known = _Vocabulary(v.id for v in vocabulary)
        self.problems: list[Problem] = []
        self.dilemma: str | None = None
        self.dropped = 0

    def fail(self, fld: str, message: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(self.name, self.dilemma, fld, message))
            return
        self.dropped += 1  # the list stays bounded; its last line counts what was left out
        self.problems[MAX_PROBLEMS:] = [Problem(self.name, None, "deck", f"… and {self.dropped} more problems")]

    def ident(self, value, fld: str) -> str:
        if not isinstance(value, str) or not ID_RE.match(value):
            self.fail(fld, "must be an id of a-z, 0-9 and '-' (at most 60 characters)")
            return clip(value, 80)
        return value

    def text(self, value, fld: str, kind: str, *, optional: bool = False) -> dict:
        if value is None and optional:
            return {}
        if not isinstance(value, dict):
            self.fail(fld, "must give the text in both languages (da and en)")
            return {}
        lo, hi = LENGTHS[kind]
        out = {}
        for lang in LANGUAGES:
            s = value.get(lang)
            if not isinstance(s, str) or not s.strip():
                self.fail(f"{fld}.{lang}", "is missing or empty")
                continue
            s = " ".join(s.split())
            if not lo <= len(s) <= hi:
                self.fail(f"{fld}.{lang}", f"has {len(s)} characters; it must have {lo} to {hi}")
            out[lang] = s
        for lang in value:
            if lang not in LANGUAGES:
                self.fail(f"{fld}.{lang}", f"unknown language (use {', '.join(LANGUAGES)})")
        return out

    def seq(self, value, fld: str, lo: int, hi: int) -> list:
        if not isinstance(value, list):
            self.fail(fld, f"must be a list of {lo} to {hi} items")
            return []
        if not lo <= len(value) <= hi:
            self.fail(fld, f"has {len(value)} items; it must have {lo} to {hi}")
        return value

    def option(self, raw, fld: str) -> Option | None:
        if not isinstance(raw, dict):
            self.fail(fld, "must be a mapping with id, label and values")
            return None
        oid = self.ident(raw.get("id"), f"{fld}.id")
        label = self.text(raw.get("label"), f"{fld}.label", "label")
        values = self.seq(raw.get("values"), f"{fld}.values", 1, 3)
        for v in values:
            if v not in self.known:
                self.fail(f"{fld}.values", f"unknown value {shown(v)} (see content/values.yaml)")
        return Option(oid, label, tuple(clip(v, 80) for v in values))

    def dilemma_(self, raw, position: int) -> Dilemma | None:
        self.dilemma = None
        if not isinstance(raw, dict):
            self.fail(f"dilemmas[{position}]", "must be a mapping")
            return None
        self.dilemma = clip(raw.get("id") or f"#{position + 1}", 80)
        did = self.ident(raw.get("id"), "id")
        role = raw.get("role", "both")
        if role not in ROLES:
            self.fail("role", f"must be one of {', '.join(ROLES)}")
        focus = raw.get("focus", "relations")
        if focus not in FOCUSES:
            self.fail("focus", f"must be one of {', '.join(FOCUSES)}")
        options = []
        seen = set()
        for i, o in enumerate(self.seq(raw.get("options"), "options", 2, 4)):
            opt = self.option(o, f"options[{i}]")
            if opt is None:
                continue
            if opt.id in seen:
                self.fail(f"options[{i}].id", f"{opt.id!r} is used twice in this dilemma")
            seen.add(opt.id)
            options.append(opt)
        debrief = [
            self.text(q, f"debrief[{i}]", "debrief")
            for i, q in enumerate(self.seq(raw.get("debrief"), "debrief", 2, 4))
        ]
        d = Dilemma(
            id=did,
            title=self.text(raw.get("title"), "title", "title"),
            text=self.text(raw.get("text"), "text", "text"),
            question=self.text(raw.get("question"), "question", "question"),
            options=tuple(options),
            debrief=tuple(debrief),
            tip=self.text(raw.get("tip"), "tip", "tip"),
            role=role,
            focus=focus,
        )
        self.dilemma = None
        return d


def parse_deck(text: str, name: str, vocabulary: tuple[Value, ...]) -> Deck:
    """Parse and validate one deck's YAML text. Raises DeckError listing every problem."""
    if len(text.encode("utf-8")) > MAX_DECK_BYTES:
        raise DeckError([Problem(name, None, "deck", f"the file is larger than {MAX_DECK_BYTES // 1024} KB")])
    data = _parse_yaml(text, name)
    c = _Checker(name, vocabulary)
    deck_id = c.ident(data.get("id"), "id")
    title = c.text(data.get("title"), "title", "title")
    description = c.text(data.get("description"), "description", "description", optional=True)
    dilemmas = []
    seen = set()
    for i, raw in enumerate(c.seq(data.get("dilemmas"), "dilemmas", 1, 60)):
        d = c.dilemma_(raw, i)
        if d is None:
            continue
        if d.id in seen:
            c.dilemma = d.id
            c.fail("id", "is used by another dilemma in this deck")
            c.dilemma = None
        seen.add(d.id)
        dilemmas.append(d)
    if c.problems:
        raise DeckError(c.problems)
    return Deck(id=deck_id, title=title, description=description, dilemmas=tuple(dilemmas), values=vocabulary)


def deck_files(path: Path) -> list[Path]:
    """Every deck file under `path` (a file or a folder), the vocabulary file excepted."""
    path = Path(path)
    if path.is_file():
        return [path]
    return sorted(
        p for p in path.rglob("*") if p.suffix in (".yaml", ".yml") and p.name != VOCABULARY_FILE
    )


def find_vocabulary(path: Path, default: Path) -> Path:
    path = Path(path)
    here = (path if path.is_dir() else path.parent) / VOCABULARY_FILE
    return here if here.exists() else default


def check_path(path: Path, vocabulary: tuple[Value, ...]) -> tuple[list[Deck], list[Problem]]:
    """Validate every deck under `path`: the valid decks and every problem found."""
    decks: list[Deck] = []
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    files = deck_files(path)
    if not files:
        problems.append(Problem(str(path), None, "path", "no deck files (*.yaml) found"))
    for f in files:
        try:
            deck = parse_deck(f.read_text(encoding="utf-8"), str(f), vocabulary)
        except (DeckError, UnicodeDecodeError, OSError) as exc:
            problems.extend(
                exc.problems if isinstance(exc, DeckError) else [Problem(str(f), None, "file", str(exc))]
            )
            continue
        if deck.id in seen:
            problems.append(Problem(str(f), None, "id", f"{deck.id!r} is already the id of {seen[deck.id]}"))
            continue
        seen[deck.id] = str(f)
        decks.append(deck)
    return decks, problems
