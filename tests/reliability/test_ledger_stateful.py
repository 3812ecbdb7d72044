"""A Hypothesis state machine drives random deposits, withdrawals, transfers, reversals and
holds through the HTTP API, against a plain in-memory model of what each balance must be.
After every step the service must agree with the model and the books must verify: the
books of a cooperative of its own, so that what the rest of the suite left elsewhere does
not make each of its many verifications longer."""

from __future__ import annotations

from decimal import Decimal

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from coopac_core.federation.identifiers import ruc_check_digit
from coopac_core.security.roles import Role
from tests.support.bank import Bank, key, make_bank
from tests.support.world import World, make_coop

ACCOUNTS = 3
amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("500.00"), places=2)


class LedgerMachine(RuleBasedStateMachine):
    client: TestClient
    bank: Bank

    @initialize()
    def open_accounts(self) -> None:
        self.accounts = [str(self.bank.account(self.client)["id"]) for _ in range(ACCOUNTS)]
        self.balance = {a: Decimal("0.00") for a in self.accounts}
        self.held = {a: Decimal("0.00") for a in self.accounts}
        self.holds: list[tuple[str, str, Decimal]] = []
        self.reversible: list[tuple[str, dict[str, Decimal]]] = []  # entry id, effect by account

    def _post(
        self, path: str, body: dict[str, object], role: Role = Role.teller
    ) -> tuple[int, dict[str, object]]:
        r = self.client.post(
            self.bank.url(path), json=body, headers={**self.bank.coop.headers[role], **key()}
        )
        payload: dict[str, object] = r.json()
        return r.status_code, payload

    @rule(i=st.integers(0, ACCOUNTS - 1), amount=amounts)
    def deposit(self, i: int, amount: Decimal) -> None:
        acct = self.accounts[i]
        status, body = self._post(
            f"/savings-accounts/{acct}/deposits",
            {"amount": str(amount), "branch_id": self.bank.puno},
        )
        assert status == 201, body
        self.balance[acct] += amount
        self.reversible.append((str(body["journal_entry_id"]), {acct: amount}))

    @rule(i=st.integers(0, ACCOUNTS - 1), amount=amounts)
    def withdraw(self, i: int, amount: Decimal) -> None:
        acct = self.accounts[i]
        status, body = self._post(
            f"/savings-accounts/{acct}/withdrawals",
            {"amount": str(amount), "branch_id": self.bank.puno},
        )
        if amount <= self.balance[acct] - self.held[acct]:
            assert status == 201, body
            self.balance[acct] -= amount
            self.reversible.append((str(body["journal_entry_id"]), {acct: -amount}))
        else:
            assert (status, body["code"]) == (422, "insufficient_funds")

    @rule(i=st.integers(0, ACCOUNTS - 1), j=st.integers(0, ACCOUNTS - 1), amount=amounts)
    def transfer(self, i: int, j: int, amount: Decimal) -> None:
        src, dst = self.accounts[i], self.accounts[j]
        status, body = self._post(
            "/transfers", {"from_account_id": src, "to_account_id": dst, "amount": str(amount)}
        )
        if src == dst:
            assert (status, body["code"]) == (422, "same_account")
        elif amount <= self.balance[src] - self.held[src]:
            assert status == 201, body
            self.balance[src] -= amount
            self.balance[dst] += amount
            self.reversible.append((str(body["journal_entry_id"]), {src: -amount, dst: amount}))
        else:
            assert (status, body["code"]) == (422, "insufficient_funds")

    @precondition(lambda self: bool(self.reversible))
    @rule(data=st.data())
    def reverse(self, data: st.DataObject) -> None:
        index = data.draw(st.integers(0, len(self.reversible) - 1))
        entry, effect = self.reversible[index]
        # the accountant asks (not their entry: a second person must approve)
        status, body = self._post(f"/journal-entries/{entry}/reversal", {}, Role.accountant)
        # a reversal obeys the account's rules: refused if it would take money a hold keeps
        # (or take a balance below zero), when asked and again when approved
        if all(
            self.balance[a] - delta - (self.held[a] if delta > 0 else 0) >= 0
            for a, delta in effect.items()
        ):
            assert (status, body["status"]) == (202, "pending"), body
            status, body = self._post(f"/reversal-requests/{body['id']}/approve", {}, Role.manager)
            assert status == 201, body
            for a, delta in effect.items():
                self.balance[a] -= delta
            self.reversible.pop(index)
            again, body2 = self._post(f"/journal-entries/{entry}/reversal", {}, Role.accountant)
            assert (again, body2["code"]) == (409, "already_reversed")
        else:
            assert (status, body["code"]) == (422, "insufficient_funds")

    @rule(i=st.integers(0, ACCOUNTS - 1), amount=amounts)
    def hold(self, i: int, amount: Decimal) -> None:
        acct = self.accounts[i]
        status, body = self._post(
            f"/savings-accounts/{acct}/holds",
            {"amount": str(amount), "reason": "Embargo"},
            Role.manager,
        )
        assert status == 201, body
        self.held[acct] += amount
        self.holds.append((acct, str(body["id"]), amount))

    @precondition(lambda self: bool(self.holds))
    @rule(data=st.data())
    def release(self, data: st.DataObject) -> None:
        acct, hold_id, amount = self.holds.pop(data.draw(st.integers(0, len(self.holds) - 1)))
        status, body = self._post(
            f"/savings-accounts/{acct}/holds/{hold_id}/release", {}, Role.manager
        )
        assert status == 200, body
        self.held[acct] -= amount

    @invariant()
    def balances_match_the_model(self) -> None:
        if not hasattr(self, "accounts"):
            return
        for acct in self.accounts:
            got = self.client.get(
                self.bank.url(f"/savings-accounts/{acct}"), headers=self.bank.teller
            ).json()
            assert Decimal(got["balance"]) == self.balance[acct]
            assert Decimal(got["available_balance"]) == self.balance[acct] - self.held[acct]
            assert Decimal(got["balance"]) >= 0

    @invariant()
    def books_verify(self) -> None:
        report = self.client.get(
            self.bank.url("/ledger/verification"), headers=self.bank.coop.headers[Role.auditor]
        ).json()
        assert report["ok"], report["problems"]


def test_ledger_state_machine(client: TestClient, world: World) -> None:
    body = "2060000321"
    coop = make_coop(client, world.fed_admin, "COOPSTATE", body + str(ruc_check_digit(body)))
    LedgerMachine.client = client
    LedgerMachine.bank = make_bank(client, coop)
    runner = LedgerMachine.TestCase
    runner.settings = settings(
        max_examples=12,
        stateful_step_count=15,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
    )
    runner().runTest()
