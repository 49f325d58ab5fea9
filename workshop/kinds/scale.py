"""The scale kind: agree-disagree on 5 or 7 points with labelled ends; mean and median."""

from __future__ import annotations

import statistics
from collections import Counter

from ..domain import Dilemma, Scale, WorkshopError, pick
from .base import MAX_ADHOC_LABEL, N_, Kind, Row, adhoc_text, percentages

POINTS = (5, 7)
DEFAULT_LOW = {"da": "Helt uenig", "en": "Strongly disagree"}
DEFAULT_HIGH = {"da": "Helt enig", "en": "Strongly agree"}


KEPT = {"da": "Vi har holdt denne aftale", "en": "We kept this agreement"}
FOLLOW_UP = {"da": "Opfølgning på en aftale", "en": "Following up an agreement"}


def agreement_check(number: int, text: str, values: tuple[str, ...]) -> Dilemma:
    """The scale question a follow-up session opens with, one per agreement of the session before."""
    return Dilemma(
        id=f"agreement-{number}",
        kind="scale",
        title={lang: f"{FOLLOW_UP[lang]} ({number})" for lang in FOLLOW_UP},
        text={lang: text for lang in KEPT},
        question=dict(KEPT),
        scale=Scale(5, dict(DEFAULT_LOW), dict(DEFAULT_HIGH)),
        values=tuple(values)[:3],
    )


class ScaleKind(Kind):
    name = "scale"
    label = N_("Scale")

    def check(self, c, raw: dict) -> dict:
        spec = raw.get("scale")
        if not isinstance(spec, dict):
            c.fail("scale", "a scale dilemma needs scale: {points: 5 or 7, low: {da, en}, high: {da, en}}")
            spec = {}
        points = spec.get("points")
        if points not in POINTS:
            c.fail("scale.points", "must be 5 or 7")
            points = 5
        low = c.text(spec.get("low"), "scale.low", "label")
        high = c.text(spec.get("high"), "scale.high", "label")
        if raw.get("options") is not None:
            c.fail("options", "a scale dilemma has no options")
        return {"scale": Scale(points, low, high), "values": c.value_ids(raw.get("values"), "values")}

    def adhoc(self, data: dict, language: str) -> dict:
        spec = data.get("scale") or {}
        if not isinstance(spec, dict):
            raise WorkshopError("invalid_request", "scale must be an object")
        points = spec.get("points", 5)
        if points not in POINTS:
            raise WorkshopError("invalid_request", "scale.points must be 5 or 7")
        low = adhoc_text(spec, "low", MAX_ADHOC_LABEL, language, required=False) or DEFAULT_LOW
        high = adhoc_text(spec, "high", MAX_ADHOC_LABEL, language, required=False) or DEFAULT_HIGH
        return {"scale": Scale(points, low, high)}

    def payload(self, d: Dilemma, language: str) -> dict:
        s = d.scale
        return {
            "options": [],
            "scale": {"points": s.points, "low": pick(s.low, language), "high": pick(s.high, language)},
        }

    def parse(self, d: Dilemma, data: dict):
        value = data.get("value")
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= d.scale.points:
            raise WorkshopError("invalid_option", f"value must be a whole number from 1 to {d.scale.points}")
        return value

    def mine(self, value) -> dict:
        return {"value": value}

    def key(self, value) -> str | None:
        return str(value)

    def distribution(self, d: Dilemma, values) -> dict[str, int]:
        seen = Counter(values)
        return {str(p): seen.get(p, 0) for p in range(1, d.scale.points + 1)}

    def tally(self, d: Dilemma, values) -> dict:
        counts = self.distribution(d, values)
        return {
            "counts": counts,
            "percentages": percentages(counts),
            "mean": round(statistics.fmean(values), 1) if values else None,
            "median": statistics.median(values) if values else None,
        }

    def rows(self, d: Dilemma, results: dict, language: str) -> list[Row]:
        counts, shares = results.get("counts") or {}, results.get("percentages") or {}
        points = d.scale.points
        labels = {1: pick(d.scale.low, language), points: pick(d.scale.high, language)}
        return [
            Row(
                str(p),
                f"{p}" + (f" ({labels[p]})" if p in labels else ""),
                counts.get(str(p), 0),
                shares.get(str(p), 0),
            )
            for p in range(1, points + 1)
        ]

    def figures(self, results: dict) -> list[tuple[str, object]]:
        return [(N_("Mean"), results.get("mean")), (N_("Median"), results.get("median"))]


KIND = ScaleKind()
