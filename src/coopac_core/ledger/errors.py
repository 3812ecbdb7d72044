"""Refusals of the ledger: what an entry, a GL account or a reversal may not be."""

from __future__ import annotations

from coopac_core.errors import Conflict, NotFound, Unprocessable


class GlAccountNotFound(NotFound):
    code = "gl_account_not_found"
    template = "Cuenta contable {code} no encontrada"


class GlAccountExists(Conflict):
    code = "gl_account_exists"
    template = "Ya existe la cuenta {code}"


class GlCodeCurrency(Unprocessable):
    code = "gl_code_currency"
    template = "El tercer dígito de {code} no corresponde a {currency}"
    meaning = "SBS codes carry the currency in their third digit: 1 soles, 2 dollars."


class GlAccountNotPostable(Unprocessable):
    code = "gl_account_not_postable"
    template = "La cuenta {code} no admite movimientos"


class ControlAccount(Unprocessable):
    code = "control_account"
    template = "La cuenta {code} solo se mueve con cuentas de socios"
    meaning = "A control account (savings, shares, loans) moves only with the member "
    "accounts it controls, so that it always equals their sum."


class CurrencyMismatch(Unprocessable):
    code = "currency_mismatch"
    template = "La moneda no coincide: {reason}"


class EntryUnbalanced(Unprocessable):
    code = "entry_unbalanced"
    template = "Asiento descuadrado en {currencies}"


class JournalEntryNotFound(NotFound):
    code = "journal_entry_not_found"
    template = "Asiento no encontrado"


class AlreadyReversed(Conflict):
    code = "already_reversed"
    template = "El asiento ya fue extornado"


class ReversalNotSupported(Conflict):
    code = "reversal_not_supported"
    template = "Un asiento de {kind} no se extorna: {reason}"
    meaning = "The entry changed a product's records that its reversal cannot restore (for "
    "example a loan operation recorded before the service kept what the loan was before it)."


class ReversalOutOfOrder(Conflict):
    code = "reversal_out_of_order"
    template = (
        "El crédito tiene operaciones posteriores sin extornar ({later}): extórnelas primero, "
        "de la más reciente a la más antigua"
    )
    meaning = "A loan's operations are undone newest first: each restores the loan as it was "
    "just before it."


class ReversalAlreadyRequested(Conflict):
    code = "reversal_already_requested"
    template = "Ya hay una solicitud de extorno pendiente para este asiento ({request_id})"


class ReversalRequestNotFound(NotFound):
    code = "reversal_request_not_found"
    template = "Solicitud de extorno no encontrada"


class ReversalRequestDecided(Conflict):
    code = "reversal_request_decided"
    template = "La solicitud de extorno ya fue {status}"


class CannotReverseReversal(Conflict):
    code = "cannot_reverse_reversal"
    template = "Un extorno no se extorna; registre un nuevo movimiento"


class PeriodClosed(Conflict):
    code = "period_closed"
    template = "El periodo {period} está cerrado: no admite asientos con fecha {day}"
    meaning = "The accountant closed that month: its books and its reports are final."


class EntryDateInFuture(Unprocessable):
    code = "entry_date_in_future"
    template = "La fecha {day} es posterior a la fecha de operaciones ({business_date})"


class AdjustmentRequestNotFound(NotFound):
    code = "adjustment_request_not_found"
    template = "Solicitud de asiento manual no encontrada"


class AdjustmentRequestDecided(Conflict):
    code = "adjustment_request_decided"
    template = "La solicitud de asiento manual ya fue {status}"
