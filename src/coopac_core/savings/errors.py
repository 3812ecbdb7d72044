"""Refusals of savings accounts, their movements and holds."""

from __future__ import annotations

from coopac_core.errors import Conflict, DomainError, NotFound, Unprocessable
from coopac_core.ledger.errors import CurrencyMismatch


class AccountNotFound(NotFound):
    code = "account_not_found"
    template = "Cuenta de ahorro no encontrada"


class InsufficientFunds(Unprocessable):
    code = "insufficient_funds"
    template = "Saldo disponible insuficiente"
    meaning = "The amount exceeds the balance less holds and the product's minimum balance."


class AccountBlocked(Unprocessable):
    code = "account_blocked"
    template = "La cuenta está bloqueada"


class AccountClosed(Unprocessable):
    code = "account_closed"
    template = "La cuenta está cerrada"


class AccountDormant(Unprocessable):
    code = "account_dormant"
    template = "La cuenta está inactiva; reactívela antes de retirar"


class AccountNotEmpty(Conflict):
    code = "account_not_empty"
    template = "Solo se cierra una cuenta sin saldo ni retenciones"


class AccountOwnerMismatch(Unprocessable):
    code = "account_owner_mismatch"
    template = "La cuenta de ahorro es de otro socio"


class SameAccount(Unprocessable):
    code = "same_account"
    template = "Origen y destino son la misma cuenta"


class TermDepositPlaced(Unprocessable):
    code = "term_deposit_placed"
    template = "Un plazo fijo recibe un solo depósito, al abrirse"


class TermNotMatured(Unprocessable):
    code = "term_not_matured"
    template = "El plazo fijo vence el {maturity_date}"


class TermPartialWithdrawal(Unprocessable):
    code = "term_partial_withdrawal"
    template = "Un plazo fijo se retira completo"


class HoldNotFound(NotFound):
    code = "hold_not_found"
    template = "Retención no encontrada"


class HoldReleased(Conflict):
    code = "hold_released"
    template = "La retención ya fue liberada"


class NotATermDeposit(Conflict):
    code = "not_a_term_deposit"
    template = "La cuenta no es un depósito a plazo colocado: {reason}"


class InvalidPayoutAccount(Unprocessable):
    code = "invalid_payout_account"
    template = "{reason}"
    meaning = "A term deposit pays out to a sight account of the same member, in its "
    "currency, not closed; renew_principal and transfer need one, sight accounts take none."


class PledgeInvalid(Unprocessable):
    code = "pledge_invalid"
    template = "No se puede afectar el depósito al crédito: {reason}"
    meaning = "A hold pledged to a loan names a loan of the cooperative, not closed, in the "
    "account's currency."


# What a credit to or a debit from an account can refuse, for the routes' documented answers.
class MemberInSettlement(Conflict):
    code = "member_in_settlement"
    template = (
        "El socio está {status}: sus cuentas no admiten cargos; las liquida el gerente con el "
        "documento que lo acredita"
    )
    meaning = (
        "A deceased or withdrawn member's savings take no debit but their settlement, by the "
        "manager, with a document (POST .../savings-accounts/{id}/settlement)."
    )


class MemberNotInSettlement(Conflict):
    code = "member_not_in_settlement"
    template = (
        "El socio está {status}: solo se liquidan las cuentas de un socio fallecido o retirado"
    )


CREDIT_ERRORS: tuple[type[DomainError], ...] = (
    AccountNotFound,
    CurrencyMismatch,
    AccountBlocked,
    AccountClosed,
    TermDepositPlaced,
)
DEBIT_ERRORS: tuple[type[DomainError], ...] = (
    AccountNotFound,
    CurrencyMismatch,
    AccountBlocked,
    AccountClosed,
    AccountDormant,
    TermNotMatured,
    TermPartialWithdrawal,
    InsufficientFunds,
    MemberInSettlement,
)


class InterestUnpaid(Conflict):
    code = "interest_unpaid"
    template = (
        "La cuenta tiene {amount} de intereses devengados por pagar: se cierra con "
        "POST .../cancellation, que los paga antes de entregar el saldo"
    )
    meaning = "Closing a savings account never forfeits the interest it earned."
