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
    template = "Un asiento de {kind} no se extorna con su espejo: corrija con la operación inversa"
    meaning = "Loan disbursements, repayments and write-offs and share refunds change a "
    "product's records (installments, statuses) that a mirror entry would leave wrong."


class CannotReverseReversal(Conflict):
    code = "cannot_reverse_reversal"
    template = "Un extorno no se extorna; registre un nuevo movimiento"
