"""Personal data kept no longer than needed (CONTRACT part 2, "Data"; docs/security.md):
deleting a session, the retention sweep, and a consistent backup of the SQLite database.

Deleting a session row deletes everything that hangs on it through the foreign keys'
ON DELETE CASCADE (participants, answers, notes, agreements), in one statement."""

from __future__ import annotations

import logging
import os
import sqlite3
from datetime import timedelta
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.engine import make_url

from .domain import Phase
from .store import WorkshopSession, db, now

log = logging.getLogger("workshop")


def delete_session(session: WorkshopSession) -> None:
    session_id = session.id
    db.session.expunge(session)
    db.session.execute(delete(WorkshopSession).where(WorkshopSession.id == session_id))
    db.session.commit()


def purge_expired(days: int) -> int:
    """Delete the ended sessions whose end is more than `days` days ago (0: every ended one)."""
    cutoff = now() - timedelta(days=days)
    ids = list(
        db.session.scalars(
            select(WorkshopSession.id).where(
                WorkshopSession.phase == Phase.ENDED.value,
                (WorkshopSession.ended_at <= cutoff) | (WorkshopSession.ended_at.is_(None)),
            )
        )
    )
    if ids:
        db.session.execute(delete(WorkshopSession).where(WorkshopSession.id.in_(ids)))
    db.session.commit()
    return len(ids)


def sweep(app) -> None:
    """One retention check: expired sessions and stale logins."""
    from . import accounts

    with app.app_context():
        try:
            n = purge_expired(app.config["RETENTION_DAYS"])
            accounts.prune_logins()
            if n:
                log.info("Retention: deleted %d ended session(s) older than %d days.", n, app.config["RETENTION_DAYS"])
        except Exception:  # never let the sweeper die
            db.session.rollback()
            log.exception("retention sweep failed")


def _sweeper(app, socketio) -> None:
    while True:
        sweep(app)
        socketio.sleep(app.config["RETENTION_INTERVAL"])


def start_sweeper(app, socketio) -> None:
    """At start and then every RETENTION_INTERVAL seconds (once per process)."""
    if app.extensions.get("workshop_sweeper"):
        return
    app.extensions["workshop_sweeper"] = True
    socketio.start_background_task(_sweeper, app, socketio)


# --- files -----------------------------------------------------------------------------------


def sqlite_path(uri: str) -> Path | None:
    url = make_url(uri)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database)


def protect_files(config) -> None:
    """instance/ 0700 and the SQLite file 0600 (created so before SQLite opens it)."""
    instance = config.get("INSTANCE_PATH")
    if instance and Path(instance).is_dir():
        os.chmod(instance, 0o700)
    path = sqlite_path(config["SQLALCHEMY_DATABASE_URI"])
    if path is None:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        if p.exists():
            os.chmod(p, 0o600)


def backup(uri: str, target: Path) -> Path:
    """A consistent copy of the SQLite database (the sqlite3 online backup API: safe while the
    server writes). PostgreSQL: use pg_dump (docs/deployment.md)."""
    source = sqlite_path(uri)
    if source is None:
        raise ValueError("backup copies an SQLite database; for PostgreSQL use pg_dump (see docs/deployment.md)")
    target = Path(target)
    if target.is_dir():
        target = target / f"workshop-{now().strftime('%Y%m%d-%H%M%S')}.db"
    if target.exists():
        raise ValueError(f"{target} exists already")
    os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        with dst:
            src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
    finally:
        dst.close()
        src.close()
    return target
