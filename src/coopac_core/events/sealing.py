"""Webhook signing secrets at rest: sealed (Fernet, authenticated encryption) under a key
from settings, so that a copy of the database signs nothing. The worker unseals one to sign
a delivery; the API shows it once, when the endpoint is made."""

from __future__ import annotations

import base64
import logging

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import text

from coopac_core.config import Settings
from coopac_core.db import ALL_TENANTS, Database

log = logging.getLogger(__name__)

SEALED = "fernet:"


def _fernet(settings: Settings) -> Fernet:
    if settings.webhook_secret_key is not None:
        return Fernet(settings.webhook_secret_key.get_secret_value().encode())
    derived = HKDF(algorithm=SHA256(), length=32, salt=None, info=b"coopac webhook secrets")
    key = derived.derive(settings.resolved_secret_key().encode())
    return Fernet(base64.urlsafe_b64encode(key))


def seal(secret: str, settings: Settings) -> str:
    return SEALED + _fernet(settings).encrypt(secret.encode()).decode()


def unseal(stored: str, settings: Settings) -> str:
    """The secret; one stored before secrets were sealed is as it was (``seal_stored``
    seals those when the service starts)."""
    if not stored.startswith(SEALED):
        return stored
    return _fernet(settings).decrypt(stored.removeprefix(SEALED).encode()).decode()


def seal_stored(db: Database, settings: Settings) -> int:
    """Seal the secrets an earlier version stored in clear; how many."""
    with db.session(ALL_TENANTS) as session:
        rows = session.execute(
            text(
                "SELECT cooperative_id, id, secret FROM webhook_endpoint "
                "WHERE secret NOT LIKE 'fernet:%'"
            )
        ).all()
    for cooperative_id, endpoint_id, secret in rows:
        with db.session(cooperative_id) as session:
            session.execute(
                text(
                    "UPDATE webhook_endpoint SET secret = :sealed WHERE cooperative_id = :c "
                    "AND id = :e AND secret = :clear"
                ),
                {"sealed": seal(secret, settings), "c": cooperative_id, "e": endpoint_id,
                 "clear": secret},
            )  # fmt: skip
    if rows:
        log.info("webhook secrets sealed: %d", len(rows))
    return len(rows)
