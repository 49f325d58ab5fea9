"""The choice kind: 2-6 options, each serving 1-3 values. Part 1 of the contract."""

from __future__ import annotations

import string
from collections import Counter

from ..domain import Dilemma, Option, WorkshopError, pick
from .base import MAX_ADHOC_LABEL, N_, Kind, Row, adhoc_list, adhoc_text, percentages

MIN_OPTIONS, MAX_OPTIONS = 2, 6


class Choice(Kind):
    name = "choice"
    opens_route = True
    label = N_("Choice")

    def check(self, c, raw: dict) -> dict:
        options, seen = [], set()
        for i, o in enumerate(c.seq(raw.get("options"), "options", MIN_OPTIONS, MAX_OPTIONS)):
            opt = c.option(o, f"options[{i}]")
            if opt is None:
                continue
            if opt.id in seen:
                c.fail(f"options[{i}].id", f"{opt.id!r} is used twice in this dilemma")
            seen.add(opt.id)
            options.append(opt)
        if raw.get("values") is not None:
            c.fail("values", "a choice dilemma gives values per option, not on the dilemma")
        return {"options": tuple(options)}

    def adhoc(self, data: dict, language: str) -> dict:
        labels = adhoc_list(data, "options", MIN_OPTIONS, MAX_OPTIONS)
        options = tuple(
            Option(string.ascii_lowercase[i], adhoc_text({"label": label}, "label", MAX_ADHOC_LABEL, language), ())
            for i, label in enumerate(labels)
        )
        return {"options": options}

    def payload(self, d: Dilemma, language: str) -> dict:
        return {
            "options": [{"id": o.id, "label": pick(o.label, language), "values": list(o.values)} for o in d.options]
        }

    def parse(self, d: Dilemma, data: dict):
        option = data.get("option")
        if not isinstance(option, str):
            raise WorkshopError("invalid_request", "option is required")
        if d.option(option) is None:
            raise WorkshopError("invalid_option", "no such option")
        return option

    def mine(self, value) -> dict:
        return {"option": value}

    def key(self, value) -> str | None:
        return value

    def served(self, d: Dilemma, value) -> tuple[str, ...]:
        option = d.option(value)
        return option.values if option else ()

    def distribution(self, d: Dilemma, values) -> dict[str, int]:
        seen = Counter(values)
        return {o.id: seen.get(o.id, 0) for o in d.options}

    def tally(self, d: Dilemma, values) -> dict:
        counts = self.distribution(d, values)
        return {"counts": counts, "percentages": percentages(counts)}

    def rows(self, d: Dilemma, results: dict, language: str) -> list[Row]:
        counts, shares = results.get("counts") or {}, results.get("percentages") or {}
        return [Row(o.id, pick(o.label, language), counts.get(o.id, 0), shares.get(o.id, 0)) for o in d.options]


KIND = Choice()
