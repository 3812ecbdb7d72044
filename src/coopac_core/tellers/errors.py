"""Refusals at the counter."""

from __future__ import annotations

from coopac_core.errors import (
    AmountInvalid,
    Conflict,
    DomainError,
    Forbidden,
    NotFound,
    Unprocessable,
)
from coopac_core.federation.errors import BranchNotFound
from coopac_core.limits.errors import LimitExceeded


class BranchNotAllowed(Forbidden):
    code = "branch_not_allowed"
    template = "Solo puede operar efectivo en su agencia"
    meaning = "A teller handles cash only at the branch of their grant."


class MemberOfOtherBranch(Forbidden):
    code = "member_of_other_branch"
    template = (
        "La cuenta es de un socio de otra agencia: transferir desde ella lo hace su agencia "
        "o la gerencia"
    )
    meaning = "A teller moves money out of an account by transfer only for members of their "
    "own branch (cash at the counter, with the member there, is served at any branch)."


class TillNotFound(NotFound):
    code = "till_not_found"
    template = "Caja o bóveda no encontrada"


class TillExists(Conflict):
    code = "till_exists"
    template = "Ya existe una caja con el código {code} en la agencia"


class TillIsVault(Conflict):
    code = "till_is_vault"
    template = "La bóveda no se abre como una caja: la opera el supervisor"
    meaning = "Sessions are opened on tills; the vault is moved by transfers and bank entries."


class NotAVault(Conflict):
    code = "not_a_vault"
    template = "Los depósitos y retiros de bancos se hacen desde la bóveda de la agencia"


class TillBusy(Conflict):
    code = "till_busy"
    template = "La caja ya tiene una sesión abierta ({teller})"


class TillSessionAlreadyOpen(Conflict):
    code = "till_session_already_open"
    template = "Ya tiene una sesión de caja abierta: ciérrela antes de abrir otra"
    meaning = "A teller has one open session at a time."


class TillSessionRequired(Conflict):
    code = "till_session_required"
    template = "Abra su caja antes de operar efectivo"
    meaning = "Cash at the counter posts to the caller's open till session: open one first."


class TillSessionNotFound(NotFound):
    code = "till_session_not_found"
    template = "Sesión de caja no encontrada"


class TillSessionClosed(Conflict):
    code = "till_session_closed"
    template = "La sesión de caja ya está cerrada"


class NotYourTillSession(Forbidden):
    code = "not_your_till_session"
    template = "Solo quien abrió la caja, o un supervisor, puede cerrarla"


class TillCashInsufficient(Conflict):
    code = "till_cash_insufficient"
    template = (
        "La caja no tiene efectivo suficiente ({available} {currency}): traiga efectivo de la "
        "bóveda primero"
    )


class TillCashLimit(Conflict):
    code = "till_cash_limit"
    template = (
        "La caja superaría su tope de efectivo ({limit} {currency}): traslade efectivo a la "
        "bóveda primero"
    )


class CountInvalid(Unprocessable):
    code = "count_invalid"
    template = "Arqueo inválido: {reason}"


class TillTransferNotFound(NotFound):
    code = "till_transfer_not_found"
    template = "Traslado de efectivo no encontrado"


class TillTransferInvalid(Conflict):
    code = "till_transfer_invalid"
    template = "Traslado de efectivo no válido: {reason}"


class TillTransferNotYours(Forbidden):
    code = "till_transfer_not_yours"
    template = "{reason}"
    meaning = "A till's side of a transfer is its open session's teller; the vault's, a supervisor."


class TillTransferAmountMismatch(Conflict):
    code = "till_transfer_amount_mismatch"
    template = "El importe recibido ({received}) no es el enviado ({sent}): anule y reenvíe"


class TillTransferReceived(Conflict):
    code = "till_transfer_received"
    template = "El traslado ya fue recibido"


class ReceiptNotFound(NotFound):
    code = "receipt_not_found"
    template = "Comprobante no encontrado"


class WithdrawalRequestNotFound(NotFound):
    code = "withdrawal_request_not_found"
    template = "Solicitud de retiro no encontrada"


class WithdrawalRequestDecided(Conflict):
    code = "withdrawal_request_decided"
    template = "La solicitud de retiro ya fue {status}"


class CounterAccountInvalid(Conflict):
    code = "counter_account_invalid"
    template = "La cuenta {code} no sirve para {purpose}: {reason}"


# What cash at the caller's till can refuse, for the routes' documented answers.
CASH_ERRORS: tuple[type[DomainError], ...] = (
    AmountInvalid,
    BranchNotFound,
    LimitExceeded,
    TillSessionRequired,
    TillCashInsufficient,
    TillCashLimit,
)


class TillOverNeedsSupervisor(Forbidden):
    code = "till_over_needs_supervisor"
    template = (
        "Al abrir se cuentan {amount} {currency} más de lo que dicen los libros: un sobrante "
        "lo registra un supervisor, que abre la caja con ese conteo"
    )
    meaning = (
        "Cash above the books found at opening becomes the cooperative's income: a second "
        "person (a supervisor) counts and books it, never the teller alone."
    )
