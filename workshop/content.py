"""Pure: load and validate decks (YAML). Every error names the file, the dilemma and the field."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from . import kinds, safe_yaml
from .domain import LANGUAGES, REASON_MODES, Deck, Dilemma, Option, Route, Value

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
    "frame": (1, 700),
}
MINUTES = (1, 60)  # a dilemma's suggested discussion time
ROUTE_MINUTES = (10, 480)
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

    def value_ids(self, raw, fld: str) -> tuple[str, ...]:
        """1-3 value ids from the vocabulary."""
        values = self.seq(raw, fld, 1, 3)
        for v in values:
            if v not in self.known:
                self.fail(fld, f"unknown value {shown(v)} (see content/values.yaml)")
        return tuple(clip(v, 80) for v in values)

    def whole(self, raw, fld: str, lo: int, hi: int) -> int | None:
        if raw is None:
            return None
        if isinstance(raw, bool) or not isinstance(raw, int) or not lo <= raw <= hi:
            self.fail(fld, f"must be a whole number from {lo} to {hi}")
            return None
        return raw

    def option(self, raw, fld: str) -> Option | None:
        if not isinstance(raw, dict):
            self.fail(fld, "must be a mapping with id, label and values")
            return None
        oid = self.ident(raw.get("id"), f"{fld}.id")
        label = self.text(raw.get("label"), f"{fld}.label", "label")
        return Option(oid, label, self.value_ids(raw.get("values"), f"{fld}.values"))

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
        kind_name = raw.get("kind", "choice")
        if not isinstance(kind_name, str) or kind_name not in kinds.KINDS:
            self.fail("kind", f"must be one of {', '.join(kinds.KINDS)}")
            kind_name = "choice"
        kind = kinds.KINDS[kind_name]
        reason = raw.get("reason", "optional")
        if reason not in REASON_MODES:
            self.fail("reason", f"must be one of {', '.join(REASON_MODES)}")
            reason = "optional"
        fields = {"reason": reason, **kind.check(self, raw)}
        debrief = [
            self.text(q, f"debrief[{i}]", "debrief")
            for i, q in enumerate(self.seq(raw.get("debrief"), "debrief", 2, 4))
        ]
        d = Dilemma(
            id=did,
            kind=kind_name,
            title=self.text(raw.get("title"), "title", "title"),
            text=self.text(raw.get("text"), "text", "text"),
            question=self.text(raw.get("question"), "question", "question"),
            debrief=tuple(debrief),
            tip=self.text(raw.get("tip"), "tip", "tip"),
            frame=self.text(raw.get("frame"), "frame", "frame", optional=True),
            minutes=self.whole(raw.get("minutes"), "minutes", *MINUTES),
            role=role,
            focus=focus,
            **fields,
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
    routes = _routes(c, data.get("routes"), {d.id: d for d in dilemmas})
    if c.problems:
        raise DeckError(c.problems)
    return Deck(
        id=deck_id,
        title=title,
        description=description,
        dilemmas=tuple(dilemmas),
        values=vocabulary,
        routes=routes,
    )


def _routes(c: _Checker, raw, dilemmas: dict[str, Dilemma]) -> tuple[Route, ...]:
    """A deck's routes: ids unique, every dilemma id known, a choice dilemma first."""
    if raw is None:
        return ()
    routes, seen = [], set()
    for i, r in enumerate(c.seq(raw, "routes", 1, 10)):
        fld = f"routes[{i}]"
        if not isinstance(r, dict):
            c.fail(fld, "must be a mapping with id, title, minutes and dilemmas")
            continue
        rid = c.ident(r.get("id"), f"{fld}.id")
        if rid in seen:
            c.fail(f"{fld}.id", f"{shown(rid)} is used by another route")
        seen.add(rid)
        title = c.text(r.get("title"), f"{fld}.title", "title")
        minutes = c.whole(r.get("minutes"), f"{fld}.minutes", *ROUTE_MINUTES)
        if minutes is None:
            c.fail(f"{fld}.minutes", "is required")
        ids = [clip(x, 80) for x in c.seq(r.get("dilemmas"), f"{fld}.dilemmas", 1, 60)]
        for x in ids:
            if x not in dilemmas:
                c.fail(f"{fld}.dilemmas", f"no dilemma {shown(x)} in this deck")
        if len(set(ids)) != len(ids):
            c.fail(f"{fld}.dilemmas", "holds a dilemma twice")
        if ids and ids[0] in dilemmas and not kinds.of(dilemmas[ids[0]]).opens_route:
            c.fail(f"{fld}.dilemmas", "must begin with a choice dilemma (an opener anyone can answer)")
        routes.append(Route(rid, title, minutes or 0, tuple(ids)))
    return tuple(routes)


def deck_files(path: Path) -> list[Path]:
    """Every deck file under `path` (a file or a folder), the vocabulary file excepted."""
    path = Path(path)
    if path.is_file():
        return [path]
    return sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml") and p.name != VOCABULARY_FILE)


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
            problems.extend(exc.problems if isinstance(exc, DeckError) else [Problem(str(f), None, "file", str(exc))])
            continue
        if deck.id in seen:
            problems.append(Problem(str(f), None, "id", f"{deck.id!r} is already the id of {seen[deck.id]}"))
            continue
        seen[deck.id] = str(f)
        decks.append(deck)
    return decks, problems
