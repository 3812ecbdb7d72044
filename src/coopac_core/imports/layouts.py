"""The CSV layouts an import takes (docs/imports.md shows them, with a sample of each under
docs/import-samples/), and the checks every row must pass before anything is loaded.

A file is COPYed as text into a staging table, then checked by set-based SQL: each check
names the rows it refuses and why. Only a file without a refused row is loaded."""

from __future__ import annotations

from dataclasses import dataclass, field

from coopac_core.imports.models import ImportFileKind as K

DATE_RE = r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
AMOUNT_RE = r"^[0-9]{1,13}(\.[0-9]{1,2})?$"
INT_RE = r"^[0-9]{1,6}$"
RATE_RE = r"^[0-9](\.[0-9]{1,8})?$"
BOOL_RE = r"^(true|false|si|sí|no|1|0)$"


def num(v: str) -> str:
    """``v`` as a number, or NULL when it is not one (so a check never fails on a cast:
    PostgreSQL may evaluate AND's operands in any order)."""
    return f"(CASE WHEN {v} ~ '{AMOUNT_RE}' OR {v} ~ '{RATE_RE}' THEN {v}::numeric END)"


def integer(v: str) -> str:
    return f"(CASE WHEN {v} ~ '{INT_RE}' THEN {v}::int END)"


def day(v: str) -> str:
    """``v`` as a date, or NULL when it is not a real one. A day up to the 28th is real in
    every month: only the others go through the calendar (most of the cost of a check)."""
    return (
        f"(CASE WHEN {v} !~ '{DATE_RE}' THEN NULL WHEN substr({v}, 9, 2) <= '28' THEN {v}::date "
        f"WHEN to_char((left({v}, 7) || '-01')::date + (substr({v}, 9, 2)::int - 1), "
        f"'YYYY-MM-DD') = {v} THEN {v}::date END)"
    )


# SUNAT's weights for the RUC check digit, as federation.identifiers.ruc_check_digit (the
# rule's home) applies them; tests/imports/test_ruc_sql.py holds this expression to it.
_RUC_WEIGHTS = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


def ruc_check_digit(v: str) -> str:
    """The check digit of the 11-digit RUC ``v`` (of which the first ten count), set-based:
    11 minus the weighted sum mod 11, where 10 is 0 and 11 is 1."""
    total = " + ".join(f"{w} * substr({v}, {i}, 1)::int" for i, w in enumerate(_RUC_WEIGHTS, 1))
    return f"((11 - ({total}) % 11) % 10)"


@dataclass(frozen=True)
class Col:
    name: str
    required: bool = False
    kind: str = "text"  # text, date, amount, int, rate, bool
    max_len: int = 100
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Layout:
    kind: K
    columns: tuple[Col, ...]
    # (condition on the staging row ``s``, reason): what the file's rows must not be
    checks: tuple[tuple[str, str], ...] = field(default_factory=tuple)

    def names(self) -> list[str]:
        return [c.name for c in self.columns]


def _dup(column: str, label: str) -> tuple[str, str]:
    return (
        f"count(*) OVER (PARTITION BY s.{column}) > 1",
        f"'{label} repetido en el archivo: ' || s.{column}",
    )


MEMBERS = Layout(
    K.members,
    (
        Col("member_number", True, max_len=20),
        Col("document_type", True, choices=("DNI", "CE", "RUC")),
        Col("document_number", True, max_len=15),
        Col("first_names"),
        Col("last_names"),
        Col("legal_name", max_len=200),
        Col("birth_date", kind="date"),
        Col("sex", choices=("F", "M")),
        Col("phone", max_len=30),
        Col("email", max_len=200),
        Col("address", max_len=300),
        Col("ubigeo", max_len=6),
        Col("occupation"),
        Col("branch_code", max_len=10),
        Col("admitted_on", kind="date"),
        Col("is_member", kind="bool"),
    ),
    (
        _dup("member_number", "número de socio"),
        (
            "count(*) OVER (PARTITION BY s.document_type, s.document_number) > 1",
            "'documento repetido en el archivo: ' || s.document_type || ' ' || s.document_number",
        ),
        (
            "s.document_type = 'DNI' AND s.document_number !~ '^[0-9]{8}$'",
            "'DNI de 8 dígitos: ' || s.document_number",
        ),
        (
            "s.document_type = 'RUC' AND s.document_number !~ '^(10|15|17|20)[0-9]{9}$'",
            "'RUC de 11 dígitos: ' || s.document_number",
        ),
        (
            "s.document_type = 'CE' AND s.document_number !~ '^[A-Za-z0-9]{6,12}$'",
            "'carné de extranjería inválido: ' || s.document_number",
        ),
        (
            "s.document_type = 'RUC' AND s.document_number ~ '^[0-9]{11}$' AND "
            f"{ruc_check_digit('s.document_number')} <> substr(s.document_number, 11, 1)::int",
            "'RUC inválido: dígito verificador incorrecto: ' || s.document_number",
        ),
        (
            # a COOPAC operates with its members only (Ley 30822), as the API's rule
            # (members.errors.MemberRequired) says, unless it operates with non-members
            "lower(s.is_member) IN ('false', 'no', '0') AND NOT (SELECT "
            "c.operates_with_non_members FROM cooperative c WHERE c.id = :c)",
            "'member_required: la cooperativa opera solo con sus socios: ' || s.member_number "
            "|| ' no es socio'",
        ),
        (
            "s.document_type = 'RUC' AND nullif(s.legal_name, '') IS NULL",
            "'una persona jurídica (RUC) lleva razón social (legal_name)'",
        ),
        (
            "s.document_type <> 'RUC' AND (nullif(s.first_names, '') IS NULL "
            "OR nullif(s.last_names, '') IS NULL)",
            "'una persona natural lleva nombres y apellidos'",
        ),
        (
            "s.member_number IN (SELECT m.member_number FROM member m WHERE m.cooperative_id = :c)",
            "'el número de socio ya existe: ' || s.member_number",
        ),
        (
            "(s.document_type, s.document_number) IN (SELECT m.document_type, "
            "m.document_number FROM member m WHERE m.cooperative_id = :c)",
            "'el documento ya es de un socio: ' || s.document_number",
        ),
        (
            "s.branch_code <> '' AND s.branch_code NOT IN (SELECT b.code FROM branch b "
            "WHERE b.cooperative_id = :c)",
            "'agencia desconocida: ' || s.branch_code",
        ),
        (
            "s.ubigeo <> '' AND s.ubigeo !~ '^[0-9]{6}$'",
            "'ubigeo de 6 dígitos: ' || s.ubigeo",
        ),
        (
            f"{day('s.admitted_on')} > CAST(:today AS date)",
            "'fecha de admisión futura: ' || s.admitted_on",
        ),
    ),
)

# A lookup in the cooperative's rows is written as an uncorrelated IN: PostgreSQL hashes
# the keys once for the whole file instead of probing an index for every row.
_MEMBER_KNOWN = (
    "s.member_number NOT IN (SELECT m.member_number FROM member m WHERE m.cooperative_id = :c)",
    "'socio desconocido: ' || s.member_number",
)

_TERM_PRODUCTS = (
    "SELECT p.code FROM savings_product p WHERE p.cooperative_id = :c AND p.kind = 'term'"
)

SAVINGS = Layout(
    K.savings,
    (
        Col("account_number", True, max_len=20),
        Col("member_number", True, max_len=20),
        Col("product_code", True, max_len=20),
        Col("balance", True, kind="amount"),
        Col("opened_on", kind="date"),
        Col("maturity_date", kind="date"),
        Col("rate", kind="rate"),
    ),
    (
        _dup("account_number", "número de cuenta"),
        _MEMBER_KNOWN,
        (
            "s.product_code NOT IN (SELECT p.code FROM savings_product p "
            "WHERE p.cooperative_id = :c)",
            "'producto de ahorro desconocido: ' || s.product_code",
        ),
        (
            "s.account_number IN (SELECT a.number FROM savings_account a "
            "WHERE a.cooperative_id = :c)",
            "'la cuenta ya existe: ' || s.account_number",
        ),
        (
            f"s.product_code IN ({_TERM_PRODUCTS}) "
            "AND (nullif(s.maturity_date, '') IS NULL OR nullif(s.rate, '') IS NULL)",
            "'un depósito a plazo lleva maturity_date y rate'",
        ),
        (
            f"s.product_code IN ({_TERM_PRODUCTS}) AND {num('s.balance')} = 0",
            "'un depósito a plazo sin saldo no se importa'",
        ),
        # the account keeps six decimals of a rate: more would be rounded without a word
        (
            "s.rate ~ '\\.[0-9]{7,}$'",
            "'rate con hasta 6 decimales: ' || s.rate",
        ),
    ),
)

SHARES = Layout(
    K.shares,
    (
        Col("member_number", True, max_len=20),
        Col("paid_in", True, kind="amount"),
    ),
    (
        _dup("member_number", "socio"),
        _MEMBER_KNOWN,
        (
            "NOT EXISTS (SELECT 1 FROM share_account h JOIN member m ON m.cooperative_id = "
            "h.cooperative_id AND m.id = h.member_id WHERE h.cooperative_id = :c "
            "AND m.member_number = s.member_number)",
            "'el socio no tiene cuenta de aportaciones (¿es cliente?): ' || s.member_number",
        ),
        (
            "EXISTS (SELECT 1 FROM share_account h JOIN member m ON m.cooperative_id = "
            "h.cooperative_id AND m.id = h.member_id WHERE h.cooperative_id = :c "
            "AND m.member_number = s.member_number AND h.balance <> 0)",
            "'el socio ya tiene aportaciones: ' || s.member_number",
        ),
    ),
)

LOANS = Layout(
    K.loans,
    (
        Col("loan_number", True, max_len=20),
        Col("member_number", True, max_len=20),
        Col("product_code", True, max_len=20),
        Col("amount", True, kind="amount"),
        Col("disbursed_on", True, kind="date"),
        Col("tea", True, kind="rate"),
        Col("outstanding_principal", True, kind="amount"),
        Col("remaining_installments", True, kind="int"),
        Col("next_due_date", True, kind="date"),
        Col("days_past_due", True, kind="int"),
        Col(
            "purpose",
            choices=(
                "agriculture",
                "livestock",
                "business",
                "consumption",
                "health",
                "education",
                "housing",
                "other",
            ),
        ),
    ),
    (
        _dup("loan_number", "número de crédito"),
        _MEMBER_KNOWN,
        (
            "s.product_code NOT IN (SELECT p.code FROM loan_product p WHERE p.cooperative_id = :c)",
            "'producto de crédito desconocido: ' || s.product_code",
        ),
        (
            "s.loan_number IN (SELECT l.number FROM loan l WHERE l.cooperative_id = :c)",
            "'el crédito ya existe: ' || s.loan_number",
        ),
        (
            f"{num('s.outstanding_principal')} <= 0 "
            f"OR {num('s.outstanding_principal')} > {num('s.amount')}",
            "'saldo de capital fuera de rango (mayor que cero, hasta el monto): ' "
            "|| s.outstanding_principal",
        ),
        (
            f"{integer('s.remaining_installments')} NOT BETWEEN 1 AND 480",
            "'cuotas pendientes entre 1 y 480: ' || s.remaining_installments",
        ),
        (
            f"{day('s.disbursed_on')} > CAST(:today AS date)",
            "'desembolso futuro: ' || s.disbursed_on",
        ),
        (
            f"{num('s.tea')} <= 0 OR {num('s.tea')} >= 5",
            "'TEA como fracción (0.3500 es 35 %): ' || s.tea",
        ),
        # days past due as the close of business counts them: from the oldest unpaid due
        # date, if it is past
        (
            f"{integer('s.days_past_due')} <> "
            f"greatest(0, CAST(:today AS date) - {day('s.next_due_date')})",
            "'días de atraso (' || s.days_past_due || ') no coinciden con la cuota impaga más "
            "antigua (' || s.next_due_date || ')'",
        ),
    ),
)

GL_BALANCES = Layout(
    K.gl_balances,
    (
        Col("gl_code", True, max_len=40),
        Col("currency", True, choices=("PEN", "USD")),
        Col("debit", kind="amount"),
        Col("credit", kind="amount"),
    ),
    (
        (
            "count(*) OVER (PARTITION BY s.gl_code, s.currency) > 1",
            "'cuenta repetida en el archivo: ' || s.gl_code",
        ),
        (
            "NOT EXISTS (SELECT 1 FROM gl_account g WHERE g.cooperative_id = :c "
            "AND g.code = s.gl_code AND g.currency = s.currency)",
            "'cuenta contable desconocida en esa moneda: ' || s.gl_code",
        ),
        (
            "EXISTS (SELECT 1 FROM gl_account g WHERE g.cooperative_id = :c "
            "AND g.code = s.gl_code AND (g.control_kind IS NOT NULL OR NOT g.allows_posting))",
            "'cuenta de control o de grupo (sus saldos vienen de los otros archivos): ' "
            "|| s.gl_code",
        ),
        (
            "s.gl_code LIKE '19_8'",
            "'la cuenta transitoria de migración no se importa: es la contrapartida'",
        ),
        (
            "(nullif(s.debit, '') IS NULL) = (nullif(s.credit, '') IS NULL)",
            "'un saldo va en debit o en credit, no en ambos ni en ninguno'",
        ),
    ),
)

LAYOUTS = {layout.kind: layout for layout in (MEMBERS, SAVINGS, SHARES, LOANS, GL_BALANCES)}


def all_checks(layout: Layout) -> list[tuple[str, str]]:
    return column_checks(layout) + list(layout.checks)


def reads_cooperative(check: tuple[str, str]) -> bool:
    """Whether a check reads the cooperative's rows (its SQL names the cooperative, ``:c``)
    rather than the file alone: only these must run in the transaction that loads the
    file; the others may run beforehand, anywhere."""
    return ":c" in check[0]


def column_checks(layout: Layout) -> list[tuple[str, str]]:
    """The checks every column's kind implies."""
    found: list[tuple[str, str]] = []
    for c in layout.columns:
        v = f"s.{c.name}"
        if c.required:
            found.append((f"{v} = ''", f"'falta {c.name}'"))
        if c.kind == "text" and not c.choices:
            found.append((f"length({v}) > {c.max_len}", f"'{c.name} pasa de {c.max_len} letras'"))
        pattern = {
            "date": DATE_RE,
            "amount": AMOUNT_RE,
            "int": INT_RE,
            "rate": RATE_RE,
            "bool": BOOL_RE,
        }.get(c.kind)
        if pattern:
            # only a yes/no is read whatever its case: the other patterns are digits
            read = f"lower({v})" if c.kind == "bool" else v
            found.append(
                (
                    f"{v} <> '' AND {read} !~ '{pattern}'",
                    f"'{c.name} inválido: ' || {v}",
                )
            )
        if c.kind == "date":
            # the format is right; is the day real (no 2026-02-30)? Only past the 28th
            # can it not be.
            found.append(
                (
                    f"substr({v}, 9, 2) > '28' AND {v} ~ '{DATE_RE}' AND {day(v)} IS NULL",
                    f"'{c.name} no es una fecha: ' || {v}",
                )
            )
        if c.choices:
            allowed = ", ".join(f"'{x}'" for x in c.choices)
            found.append(
                (
                    f"{v} <> '' AND {v} NOT IN ({allowed})",
                    f"'{c.name} debe ser uno de {'/'.join(c.choices)}: ' || {v}",
                )
            )
    return found
