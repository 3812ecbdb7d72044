"""The counter: tills and the vault, a teller's session, cash between them, receipts.

A till's cash is a GL sub-account per currency under its branch's cash account
(11x1.<branch>.<till>); ``till_cash.balance`` is what its postings make it, kept by the
posting trigger (``coopac_post_statement``), whose CHECK never lets it below zero. Every cash
operation posts to the caller's open session's till (``counter_cash``, the database function
``coopac_counter_cash``, which the one-call deposit and share payment run too).
"""

from __future__ import annotations

from coopac_core.tellers.service.cash import (
    BANK_GL,
    COUNTER_CASH,
    SESSION_CASH,
    ZERO,
    CounterCash,
    counter_cash,
    receipt_number_of,
    session_cash,
)
from coopac_core.tellers.service.sessions import (
    MOVEMENTS,
    close_session,
    counter_account,
    get_session,
    list_sessions,
    open_session,
    open_sessions_through,
    session_out,
)
from coopac_core.tellers.service.tills import (
    create_till,
    get_till,
    list_tills,
    till_out,
    update_till,
)
from coopac_core.tellers.service.transfers import (
    get_transfer,
    list_transfers,
    receive_transfer,
    send_transfer,
    transfer_out,
)
from coopac_core.tellers.service.vault import bank_movement, get_receipt
from coopac_core.tellers.service.verification import check_till_cash

__all__ = [
    "BANK_GL",
    "COUNTER_CASH",
    "MOVEMENTS",
    "SESSION_CASH",
    "ZERO",
    "CounterCash",
    "bank_movement",
    "check_till_cash",
    "close_session",
    "counter_account",
    "counter_cash",
    "create_till",
    "get_receipt",
    "get_session",
    "get_till",
    "get_transfer",
    "list_sessions",
    "list_tills",
    "list_transfers",
    "open_session",
    "open_sessions_through",
    "receipt_number_of",
    "receive_transfer",
    "send_transfer",
    "session_cash",
    "session_out",
    "till_out",
    "transfer_out",
    "update_till",
]
