"""How long each export format takes for a big session (a script, not a test).

    .venv/bin/python bench/export_bench.py                   # 2,000 participants, the table
    .venv/bin/python bench/export_bench.py -p 24 --write /tmp/exports   # also write the files
    .venv/bin/python bench/export_bench.py --end-to-end      # also from a database, as the route does

It builds a Snapshot of a shipped deck with 11 dilemmas, every participant voting on every
dilemma and about 30 % giving a reason, then renders every registered format three times and
prints the median. The budget is 2 seconds per export for 2,000 participants.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workshop.content import VOCABULARY_FILE, load_vocabulary, parse_deck  # noqa: E402
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


def load_deck(dilemmas: int = 11):
    vocabulary = load_vocabulary(ROOT / "content" / VOCABULARY_FILE)
    deck = parse_deck(DECK_FILE.read_text(encoding="utf-8"), DECK_FILE.name, vocabulary)
    return type(deck)(
        id=deck.id,
        title=deck.title,
        dilemmas=deck.dilemmas[:dilemmas],
        description=deck.description,
        values=deck.values,
    )


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
    responses = []
    for k, d in enumerate(deck.dilemmas):
        weights = [rng.random() ** 2 + 0.05 for _ in d.options]  # a lopsided distribution
        opened = start + timedelta(minutes=10 * k)
        for p in range(1, participants + 1):
            option = rng.choices(d.options, weights)[0]
            responses.append(
                Response(
                    pseudonym=f"P{p:03d}",
                    name=f"Deltager Ærø {p}" if show_names else None,
                    dilemma_id=d.id,
                    option_id=option.id,
                    reason=rng.choice(REASONS) if rng.random() < reason_share else None,
                    time=opened + timedelta(seconds=rng.uniform(5, 240)),
                )
            )
    responses.sort(key=lambda r: ([d.id for d in deck.dilemmas].index(r.dilemma_id), r.time, r.pseudonym))
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
    )


def time_formats(render_one, repeat: int, write: Path | None = None, stem: str = "export") -> float:
    """Print one line per format (median of `repeat` runs); return the worst median."""
    print(f"{'format':<8}{'median s':>10}{'min s':>9}{'size':>12}  budget {BUDGET:.0f} s")
    worst = 0.0
    for fmt, (_render, _mime, ext) in FORMATS.items():
        times = []
        for _ in range(repeat):
            t = time.perf_counter()
            data = render_one(fmt)
            if isinstance(data, str):
                data = data.encode("utf-8")
            times.append(time.perf_counter() - t)
        median = statistics.median(times)
        worst = max(worst, median)
        flag = "" if median < BUDGET else "  OVER BUDGET"
        print(f"{fmt:<8}{median:>10.3f}{min(times):>9.3f}{len(data) / 1024:>10.0f} KB{flag}")
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
    from workshop.store import Facilitator, Note, Participant, Vote, WorkshopSession, db

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
        )
        db.session.add(session)
        db.session.flush()
        numbers = sorted({int(r.pseudonym[1:]) for r in snap.responses})
        ids = {n: f"p{n:06d}" for n in numbers}
        db.session.execute(
            insert(Participant),
            [{"id": ids[n], "session_id": session.id, "token": f"t{session.id}{n}", "number": n} for n in numbers],
        )
        db.session.execute(
            insert(Vote),
            [
                {
                    "session_id": session.id,
                    "participant_id": ids[int(r.pseudonym[1:])],
                    "dilemma_id": r.dilemma_id,
                    "option_id": r.option_id,
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
    print(
        f"{args.participants} participants × {len(snap.deck.dilemmas)} dilemmas = "
        f"{len(snap.responses)} votes, {reasons} reasons (snapshot built in {built:.2f} s)"
    )
    stem = safe_filename(snap.title, snap.created_at, "x")[:-2]
    worst = time_formats(lambda fmt: FORMATS[fmt][0](snap), args.repeat, args.write, stem)
    if args.end_to_end:
        print("\nend to end: read from SQLite, build the Snapshot, render (as the export route does)")
        worst = max(worst, end_to_end(snap, args.repeat))
    return 0 if worst < BUDGET else 1


if __name__ == "__main__":
    sys.exit(main())
