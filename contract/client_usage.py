"""A teller's deposit through a client generated from the OpenAPI document.

CI generates ``coopac_client`` with openapi-python-client from ``coopac openapi`` and
type-checks this script against it (``contract/check``): a contract that stops describing
what the service does (an error that parses to nothing, an optional key that is required, a
status given as a bare string) fails the build here.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from coopac_client import AuthenticatedClient, Client
from coopac_client.api.auth import issue_token
from coopac_client.api.savings import deposit, list_holds
from coopac_client.models import (
    AccountStatus,
    CashMovementRequest,
    Currency,
    EntryKind,
    Movement,
    PageHoldOut,
    PasswordGrant,
    ScreeningHoldOut,
    TokenResponse,
)


def log_in(base_url: str, username: str, password: str) -> AuthenticatedClient:
    answer = issue_token.sync(
        client=Client(base_url=base_url),
        body=PasswordGrant(username=username, password=password),
    )
    if not isinstance(answer, TokenResponse):
        code = answer.code.value if answer is not None else "no answer"
        raise SystemExit(f"login refused: {code}")
    return AuthenticatedClient(base_url=base_url, token=answer.access_token)


def deposit_cash(
    api: AuthenticatedClient,
    cooperative_id: uuid.UUID,
    account_id: uuid.UUID,
    branch_id: uuid.UUID,
    amount: Decimal,
) -> Decimal:
    """The new balance; the same key on a retry after a timeout moves the money once."""
    key = str(uuid.uuid4())
    body = CashMovementRequest(amount=f"{amount:.2f}", branch_id=branch_id)
    answer = deposit.sync(cooperative_id, account_id, client=api, body=body, idempotency_key=key)
    if isinstance(answer, Movement):
        assert answer.kind is EntryKind.DEPOSIT
        assert answer.currency in (Currency.PEN, Currency.USD)
        return Decimal(answer.balance)
    if answer is None:
        raise RuntimeError("unexpected answer")
    if isinstance(answer, ScreeningHoldOut):  # its member is on a screening list: it waits
        raise RuntimeError(f"held for the compliance officer: {answer.id} {answer.status.value}")
    # Every refusal parses to a problem with a typed code: the teller sees its detail.
    raise RuntimeError(f"{answer.status} {answer.code.value}: {answer.detail}")


def holds_total(
    api: AuthenticatedClient, cooperative_id: uuid.UUID, account_id: uuid.UUID
) -> Decimal:
    total = Decimal("0.00")
    cursor: str | None = None
    while True:
        page = list_holds.sync(cooperative_id, account_id, client=api, cursor=cursor)
        if not isinstance(page, PageHoldOut):
            raise RuntimeError("holds refused")
        total += sum((Decimal(h.amount) for h in page.items), Decimal("0.00"))
        if not isinstance(page.next_cursor, str):
            return total
        cursor = page.next_cursor


def is_open(status: AccountStatus) -> bool:
    return status in (AccountStatus.ACTIVE, AccountStatus.DORMANT)
