"""Idempotency of money POSTs: a retried request never moves money twice.

The key and the response are stored in the request's own transaction, so the money and
the key commit together or not at all: there is no state in which one exists without the
other. A retry after the commit finds the stored response and replays it.

Two paths, one rule. The service's transaction (``Idempotent``) claims the key first: a
retry racing the first request blocks on the key's unique index until the first commits
(then replays) or rolls back (then runs). The one-call path (``MoneyRequest.call``,
``coopac_money_call``) writes the key once, with its answer, at the end: a racing retry
does the work too, then blocks on the same index, finds the first one's key, undoes its
own work (KC001) and replays. Either way a lock held past the lock timeout answers 409 and
the client may retry again.

A business refusal (insufficient funds, a blocked account) is an answer too, and is kept:
otherwise a retry of a refused withdrawal could run later, after a deposit, and post money
that the teller was told had been refused. Only failures that commit nothing (the database
down, a timeout) leave the key free for a retry to run.
"""

from coopac_core.idempotency.keys import (
    IDEMPOTENCY_ERRORS,
    MAX_KEY_LENGTH,
    REPLAY_HEADER,
    RETENTION,
    Answer,
    IdempotencyKeyInProgress,
    IdempotencyKeyInvalid,
    IdempotencyKeyRequired,
    IdempotencyKeyReused,
    IdempotencyRecord,
    expire_keys,
    idempotency_key_header,
    request_fingerprint,
)
from coopac_core.idempotency.money import (
    BatchOperation,
    BatchOutcome,
    ConnectionLost,
    MoneyOperation,
    MoneyRequest,
    idempotent,
    money_caller,
)
from coopac_core.idempotency.transaction import Idempotent

__all__ = [
    "IDEMPOTENCY_ERRORS",
    "MAX_KEY_LENGTH",
    "REPLAY_HEADER",
    "RETENTION",
    "Answer",
    "BatchOperation",
    "BatchOutcome",
    "ConnectionLost",
    "IdempotencyKeyInProgress",
    "IdempotencyKeyInvalid",
    "IdempotencyKeyRequired",
    "IdempotencyKeyReused",
    "IdempotencyRecord",
    "Idempotent",
    "MoneyOperation",
    "MoneyRequest",
    "expire_keys",
    "idempotency_key_header",
    "idempotent",
    "money_caller",
    "request_fingerprint",
]
