"""The agreements register over the JSON API (docs/protocol.md): routes on the API blueprint,
owner-only like every session route (anyone else's session is simply not found)."""

from __future__ import annotations

from flask import g, jsonify, request

from .. import agreements, services
from .api import authenticated, bp


@bp.post("/sessions/<session_id>/agreements")
@authenticated
def add_agreement(session_id):
    session = services.owned_session(g.user, session_id)
    data = request.get_json(silent=True)
    row = agreements.add_agreement(session, data)
    return jsonify(agreements.as_json(row)), 201


@bp.get("/sessions/<session_id>/agreements")
@authenticated
def list_agreements(session_id):
    session = services.owned_session(g.user, session_id)
    return jsonify({"agreements": [agreements.as_json(a) for a in agreements.agreements_of(session.id)]})


@bp.delete("/sessions/<session_id>/agreements/<int:agreement_id>")
@authenticated
def delete_agreement(session_id, agreement_id):
    session = services.owned_session(g.user, session_id)
    agreements.delete_agreement(session, agreement_id)
    return "", 204
