"""How long each export format takes for a big session (a script, not a test).

    .venv/bin/python bench/export_bench.py                   # 2,000 participants, the table
    .venv/bin/python bench/export_bench.py -p 24 --write /tmp/exports   # also write the files
    .venv/bin/python bench/export_bench.py --end-to-end      # also from a database, as the route does

It builds a Snapshot of a shipped deck with 11 dilemmas of every kind (9 choice dilemmas of the
deck, one 7-point scale and one open text added), every participant answering every dilemma,
about 30 % giving a reason, three dilemmas (two choices and the scale) answered in a second
round, participants with roles (so the role split shows) and the anonymity minimum of 5; then it
renders every registered format three times and prints the median. The budget is 2 seconds per
export for 2,000 participants.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workshop.content import VOCABULARY_FILE, load_vocabulary, parse_deck  # noqa: E402
from workshop.domain import Dilemma, Scale  # noqa: E402
from workshop.exports import FORMATS, safe_filename  # noqa: E402
from workshop.exports.snapshot import Response, Snapshot  # noqa: E402

DECK_FILE = ROOT / "content" / "decks" / "medarbejderrollen.yaml"
BUDGET = 2.0

REASONS = [
    "Borgeren skal have mulighed for at gøre det selv – det er hele pointen med rehabilitering.",
    "Jeg ville tale med min leder først, så vi står sammen om beslutningen.",
    "Det er vigtigt at være ærlig over for kollegerne, også når det er svært.",
    "Tid er en knap ressource, men tilliden må ikke gå tabt på grund af travlhed.",
    "Jeg har selv prøvet det, og det gik bedst, da vi talte åbent om det på mødet.",
    "Man må ikke glemme de pårørende – de kender borgeren bedst.",
    "Her vægter ordentligheden højere end effektiviteten.",
    "Fordi det ellers bliver en vane, som er svær at bryde igen.",
    "Det er ikke min beslutning alene; vi må finde en fælles løsning i teamet.",
    "Øjeblikkets pres må ikke styre, hvad vi står for som arbejdsplads.",
    "Åbenhed skaber tryghed – både for borgeren og for os selv.",
    "Jeg ville nok vælge anderledes en fredag eftermiddag, hvis jeg skal være ærlig.",
]
NOTES = [
    "Gruppen var delt; flere pegede på, at tidspresset styrer mere end værdierne.\n"
    "Opfølgning: tag det op på næste personalemøde.",
    "Stor enighed. Én deltager fremhævede, at det kræver mod at sige fra over for ledelsen.",
    "Vi brugte lang tid på spørgsmålet om, hvem der ejer beslutningen. Ærlighed vs. loyalitet.",
]


TEXTS = [
    "Tillid tager tid at bygge og kort tid at rive ned.",
    "Ærlighed over for borgeren, også når det er svært.",
    "Mere tid til faglighed og mindre dokumentation.",
    "At lederen lytter, før der bliver besluttet.",
    "Åbenhed om fejl – så vi kan lære af dem sammen.",
    "Respekt for hinandens faglighed på tværs af teams.",
]
SCALE = Dilemma(
    id="bench-skala",
    kind="scale",
    title={"da": "Tryghed til at sige fra", "en": "Safe to speak up"},
    text={"da": "På personalemøderne bliver der sjældent sagt fra.", "en": "At staff meetings few speak up."},
    question={
        "da": "Jeg kan sige fra uden at frygte følgerne.",
        "en": "I can speak up without fearing the consequences.",
    },
    scale=Scale(7, {"da": "Helt uenig", "en": "Strongly disagree"}, {"da": "Helt enig", "en": "Strongly agree"}),
    values=("free-expression", "respect"),
)
TEXT = Dilemma(
    id="bench-tekst",
    kind="text",
    title={"da": "Et ord om tillid", "en": "A word on trust"},
    text={"da": "Tænk på en situation i år.", "en": "Think of a moment this year."},
    question={"da": "Hvad skabte tilliden?", "en": "What built the trust?"},
    reason="off",
    values=("trustworthiness",),
)
ROLES = ["leader"] * 3 + ["employee"] * 6 + ["other"]


def load_deck(dilemmas: int = 11):
    """The shipped deck's first choice dilemmas with a scale and a free text among them."""
    vocabulary = load_vocabulary(ROOT / "content" / VOCABULARY_FILE)
    deck = parse_deck(DECK_FILE.read_text(encoding="utf-8"), DECK_FILE.name, vocabulary)
    chosen = list(deck.dilemmas[: max(0, dilemmas - 2)])
    chosen[2:2] = [SCALE, TEXT][: max(0, dilemmas - len(chosen))]
    return type(deck)(
        id=deck.id,
        title=deck.title,
        dilemmas=tuple(chosen[:dilemmas]),
        description=deck.description,
        values=deck.values,
    )


def _answer(rng, d, weights):
    if d.kind == "scale":
        return rng.choices(range(1, d.scale.points + 1), weights)[0]
    if d.kind == "text":
        return rng.choice(TEXTS)
    return rng.choices(d.options, weights)[0].id


def build_snapshot(
    participants: int = 2000,
    dilemmas: int = 11,
    *,
    reason_share: float = 0.3,
    show_names: bool = False,
    language: str = "da",
    seed: int = 7,
) -> Snapshot:
    rng = random.Random(seed)
    deck = load_deck(dilemmas)
    start = datetime(2025, 3, 4, 9, 0, 0)
    roles = {p: rng.choice(ROLES) for p in range(1, participants + 1)}
    revoted = {d.id for d in deck.dilemmas if d.kind != "text"}
    revoted = set(sorted(revoted, key=[d.id for d in deck.dilemmas].index)[:3])
    responses = []
    for k, d in enumerate(deck.dilemmas):
        categories = d.scale.points if d.kind == "scale" else len(d.options)
        for round_ in (1, 2) if d.id in revoted else (1,):
            weights = [rng.random() ** 2 + 0.05 for _ in range(categories)]  # a lopsided distribution
            opened = start + timedelta(minutes=10 * k + 4 * round_)
            for p in range(1, participants + 1):
                value = _answer(rng, d, weights)
                reason = rng.choice(REASONS) if d.kind != "text" and rng.random() < reason_share else None
                responses.append(
                    Response(
                        pseudonym=f"P{p:03d}",
                        name=f"Deltager Ærø {p}" if show_names else None,
                        dilemma_id=d.id,
                        option_id=None if d.kind == "text" else str(value),
                        reason=reason,
                        time=opened + timedelta(seconds=rng.uniform(5, 240)),
                        value=value,
                        round=round_,
                        role=roles[p],
                    )
                )
    order = [d.id for d in deck.dilemmas]
    responses.sort(key=lambda r: (order.index(r.dilemma_id), r.round, r.time, r.pseudonym))
    notes = {d.id: NOTES[i % len(NOTES)] for i, d in enumerate(deck.dilemmas) if i % 2 == 0}
    return Snapshot(
        session_id="bench",
        title="Værdidag i Ældre- og Sundhedsforvaltningen",
        code="482913",
        language=language,
        phase="ended",
        deck=deck,
        created_at=start,
        ended_at=start + timedelta(hours=2),
        exported_at=start + timedelta(hours=2, minutes=5),
        participants=participants,
        responses=tuple(responses),
        notes=notes,
        show_names=show_names,
        min_answers=5,
    )


def time_formats(render_one, repeat: int, write: Path | None = None, stem: str = "export") -> float:
    """Print one line per format (median of `repeat` runs, wall clock and this process's CPU
    time: on a shared machine the CPU time is the steadier figure); return the worst median."""
    print(f"{'format':<8}{'median s':>10}{'min s':>9}{'cpu s':>9}{'size':>12}  budget {BUDGET:.0f} s")
    worst = 0.0
    for fmt, (_render, _mime, ext) in FORMATS.items():
        times, cpu = [], []
        for _ in range(repeat):
            t, c = time.perf_counter(), time.process_time()
            data = render_one(fmt)
            if isinstance(data, str):
                data = data.encode("utf-8")
            times.append(time.perf_counter() - t)
            cpu.append(time.process_time() - c)
        median = statistics.median(times)
        worst = max(worst, median)
        flag = "" if median < BUDGET else "  OVER BUDGET"
        print(
            f"{fmt:<8}{median:>10.3f}{min(times):>9.3f}{statistics.median(cpu):>9.3f}{len(data) / 1024:>10.0f} KB{flag}"
        )
        if write:
            write.mkdir(parents=True, exist_ok=True)
            (write / f"{stem}.{ext}").write_bytes(data)
    return worst


def end_to_end(snap: Snapshot, repeat: int) -> float:
    """The same session stored in a throwaway SQLite database and exported as the route does it
    (exports.render: read the session, its votes and notes, build the Snapshot, render)."""
    import json
    import os
    import tempfile

    tmp = Path(tempfile.mkdtemp(prefix="export-bench-"))
    os.environ["WORKSHOP_INSTANCE_PATH"] = str(tmp)
    from sqlalchemy import insert

    from workshop import create_app, exports
    from workshop.store import Answer, Facilitator, Note, Participant, WorkshopSession, db

    app = create_app({"ASYNC_MODE": "threading", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'bench.db'}"})
    with app.app_context():
        owner = Facilitator(email="bench@example.org", password_hash="-")
        db.session.add(owner)
        db.session.flush()
        session = WorkshopSession(
            owner_id=owner.id,
            code=snap.code,
            title=snap.title,
            language=snap.language,
            deck_id=snap.deck.id,
            deck_json=json.dumps(snap.deck.to_dict()),
            phase=snap.phase,
            created_at=snap.created_at,
            ended_at=snap.ended_at,
            min_answers=snap.min_answers,
        )
        db.session.add(session)
        db.session.flush()
        roles = {int(r.pseudonym[1:]): r.role for r in snap.responses}
        ids = {n: f"p{n:06d}" for n in sorted(roles)}
        db.session.execute(
            insert(Participant),
            [
                {"id": ids[n], "session_id": session.id, "token": f"t{session.id}{n}", "number": n, "role": roles[n]}
                for n in sorted(roles)
            ],
        )
        db.session.execute(
            insert(Answer),
            [
                {
                    "session_id": session.id,
                    "participant_id": ids[int(r.pseudonym[1:])],
                    "dilemma_id": r.dilemma_id,
                    "round": r.round,
                    "value": json.dumps(r.value),
                    "reason": r.reason,
                    "created_at": r.time,
                    "updated_at": r.time,
                }
                for r in snap.responses
            ],
        )
        db.session.execute(
            insert(Note), [{"session_id": session.id, "dilemma_id": k, "text": v} for k, v in snap.notes.items()]
        )
        db.session.commit()
        session_id = session.id

        def render_one(fmt):
            db.session.expire_all()
            return exports.render(db.session.get(WorkshopSession, session_id), fmt)[0]

        return time_formats(render_one, repeat)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-p", "--participants", type=int, default=2000)
    ap.add_argument("-d", "--dilemmas", type=int, default=11)
    ap.add_argument("-r", "--repeat", type=int, default=3)
    ap.add_argument("--language", default="da", choices=["da", "en"])
    ap.add_argument("--write", type=Path, help="also write each export into this folder")
    ap.add_argument(
        "--end-to-end",
        action="store_true",
        help="also time exports.render on the session stored in a throwaway SQLite database",
    )
    args = ap.parse_args()

    t0 = time.perf_counter()
    snap = build_snapshot(args.participants, args.dilemmas, language=args.language)
    built = time.perf_counter() - t0
    reasons = sum(1 for r in snap.responses if r.reason)
    kinds = ", ".join(f"{sum(1 for d in snap.deck.dilemmas if d.kind == k)} {k}" for k in ("choice", "scale", "text"))
    second = len({r.dilemma_id for r in snap.responses if r.round == 2})
    print(
        f"{args.participants} participants × {len(snap.deck.dilemmas)} dilemmas ({kinds}; {second} with a "
        f"second round) = {len(snap.responses)} answers, {reasons} reasons (snapshot built in {built:.2f} s)"
    )
    stem = safe_filename(snap.title, snap.created_at, "x")[:-2]
    # A fresh Snapshot per export (dataclasses.replace), as the route reads one per request: no
    # export gains from the results another one cached.
    worst = time_formats(lambda fmt: FORMATS[fmt][0](replace(snap)), args.repeat, args.write, stem)
    if args.end_to_end:
        print("\nend to end: read from SQLite, build the Snapshot, render (as the export route does)")
        worst = max(worst, end_to_end(snap, args.repeat))
    return 0 if worst < BUDGET else 1


if __name__ == "__main__":
    sys.exit(main())
