"""Members, savings and share accounts, and GL balances, inserted set-based from their
staged rows; their opening balances posted against the migration suspense account."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import text
from sqlmodel import Session

from coopac_core.imports.layouts import day, num
from coopac_core.imports.loader.staging import SUSPENSE_GL, Actor, opening_entry
from coopac_core.ledger.chart import SHARE_CAPITAL_GL, code_for
from coopac_core.money import Currency

_MEMBERS = f"""
WITH ins AS (
    INSERT INTO member (cooperative_id, id, member_number, branch_id, is_member, document_type,
        document_number, first_names, last_names, legal_name, birth_date, sex, phone, email,
        address, ubigeo, occupation, status, applied_on, admitted_on, created_at)
    SELECT :c, gen_random_uuid(), s.member_number, b.id,
        lower(s.is_member) NOT IN ('false', 'no', '0'), s.document_type, s.document_number,
        nullif(s.first_names, ''), nullif(s.last_names, ''), nullif(s.legal_name, ''),
        {day("s.birth_date")}, nullif(s.sex, ''), nullif(s.phone, ''), nullif(s.email, ''),
        nullif(s.address, ''), nullif(s.ubigeo, ''), nullif(s.occupation, ''), 'active',
        coalesce({day("s.admitted_on")}, CAST(:today AS date)),
        coalesce({day("s.admitted_on")}, CAST(:today AS date)), now()
    FROM import_stage s
    LEFT JOIN branch b ON b.cooperative_id = :c AND b.code = nullif(s.branch_code, '')
    RETURNING id, is_member, admitted_on
), shares AS (
    -- a member holds share capital (a client does not): their account, empty until the
    -- shares file pays it in
    INSERT INTO share_account (cooperative_id, id, member_id, currency, balance,
        gl_account_id, status, opened_on, created_at)
    SELECT :c, gen_random_uuid(), ins.id, 'PEN', 0, :share_gl, 'active', ins.admitted_on, now()
    FROM ins WHERE ins.is_member
    RETURNING 1
)
SELECT count(*) FROM ins
"""

# member numbers given by the old system: the service's own go on after the largest
_MEMBER_COUNTER = """
INSERT INTO counter (cooperative_id, name, value)
SELECT :c, 'member', coalesce(max(member_number::bigint), 0) FROM import_stage
WHERE member_number ~ '^[0-9]{1,15}$'
ON CONFLICT (cooperative_id, name) DO UPDATE SET value = greatest(counter.value, EXCLUDED.value)
"""


def load_members(session: Session, params: dict[str, Any], actor: Actor) -> int:
    share_gl = gl_id(session, params["c"], code_for(SHARE_CAPITAL_GL, Currency.PEN))
    loaded = int(session.execute(text(_MEMBERS), {**params, "share_gl": share_gl}).scalar_one())
    session.execute(text(_MEMBER_COUNTER), params)
    return loaded


def gl_id(session: Session, cooperative_id: uuid.UUID, code: str) -> uuid.UUID:
    found = session.execute(
        text("SELECT id FROM gl_account WHERE cooperative_id = :c AND code = :k"),
        {"c": cooperative_id, "k": code},
    ).scalar_one()
    return uuid.UUID(str(found))


# --- savings ----------------------------------------------------------------------------

# The accounts go in with their opening balances, and the same statement posts them: the
# posting trigger checks such an account instead of moving it a second time (migration
# 0031), which would rewrite every row.
_OPEN_SAVINGS = f"""
INSERT INTO savings_account (cooperative_id, id, number, member_id, product_id, currency,
    status, balance, held_amount, gl_account_id, opened_on, placed_on, maturity_date,
    placed_amount, rate, maturity_instruction, last_movement_on, created_at)
SELECT :c, gen_random_uuid(), s.account_number, m.id, p.id, p.currency, 'active',
    {num("s.balance")}, 0, p.gl_account_id, coalesce({day("s.opened_on")}, CAST(:today AS date)),
    CASE WHEN p.kind = 'term' THEN coalesce({day("s.opened_on")}, CAST(:today AS date)) END,
    CASE WHEN p.kind = 'term' THEN {day("s.maturity_date")} END,
    CASE WHEN p.kind = 'term' THEN {num("s.balance")} END,
    CASE WHEN p.kind = 'term' THEN {num("s.rate")} END,
    CASE WHEN p.kind = 'term' THEN 'renew' END,
    CAST(:today AS date), now()
FROM import_stage s
JOIN member m ON m.cooperative_id = :c AND m.member_number = s.member_number
JOIN savings_product p ON p.cooperative_id = :c AND p.code = s.product_code
RETURNING gl_account_id AS gl, currency, -balance AS amount, 'savings' AS kind, id AS account,
    balance AS after
"""

# The opening balances of one kind of member account (the rows of ``lines``), and the
# suspense account's counterpart per currency, in one statement: the entry balances in the
# trigger that checks it, which sees one statement's lines.
_POST = """
INSERT INTO posting (cooperative_id, entry_id, gl_account_id, currency, amount, account_kind,
    account_id, balance_after, business_date, value_date)
SELECT :c, :entry, gl, currency, amount, kind, account, after, :today, :today
FROM (
    SELECT gl, currency, amount, kind, account, after, 0 AS part FROM lines
    UNION ALL
    -- summed first, then joined: the planner cannot know how many lines there are
    SELECT g.id, t.currency, -t.amount, NULL, NULL, NULL, 1
    FROM (SELECT l.currency, sum(l.amount) AS amount FROM lines l GROUP BY l.currency) t
    JOIN gl_account g ON g.cooperative_id = :c
        AND g.code = CASE t.currency WHEN 'PEN' THEN :suspense_pen ELSE :suspense_usd END
) x
"""


def post(session: Session, params: dict[str, Any], actor: Actor, lines: str, what: str) -> None:
    """The lines are worked out once, into a temporary table, then posted in one INSERT."""
    session.execute(text(f"CREATE TEMP TABLE import_post ON COMMIT DROP AS {lines}"), params)
    if not session.execute(text("SELECT EXISTS (SELECT 1 FROM import_post)")).scalar_one():
        return
    entry = opening_entry(session, params["c"], params["today"], actor, what)
    session.execute(
        text(f"WITH lines AS (SELECT * FROM import_post) {_POST}"),
        {**params, "entry": entry, **suspense_codes()},
    )


def suspense_codes() -> dict[str, str]:
    return {
        "suspense_pen": code_for(SUSPENSE_GL, Currency.PEN),
        "suspense_usd": code_for(SUSPENSE_GL, Currency.USD),
    }


def load_savings(session: Session, params: dict[str, Any], actor: Actor) -> int:
    funded = session.execute(
        text(f"SELECT EXISTS (SELECT 1 FROM import_stage s WHERE {num('s.balance')} > 0)")
    ).scalar_one()
    if not funded:  # no entry: one without postings is refused
        return int(session.connection().execute(text(_OPEN_SAVINGS), params).rowcount)
    entry = opening_entry(session, params["c"], params["today"], actor, "cuentas de ahorro")
    opened = session.execute(
        text(
            f"WITH opened AS ({_OPEN_SAVINGS}), lines AS (SELECT * FROM opened "
            f"WHERE amount <> 0), posted AS ({_POST} RETURNING 1) SELECT count(*) FROM opened"
        ),
        {**params, "entry": entry, **suspense_codes()},
    ).scalar_one()
    return int(opened)


# --- shares -----------------------------------------------------------------------------

_SHARE_LINES = f"""
SELECT h.gl_account_id AS gl, h.currency, -{num("s.paid_in")} AS amount,
    'share' AS kind, h.id AS account, {num("s.paid_in")} AS after
FROM import_stage s
JOIN member m ON m.cooperative_id = :c AND m.member_number = s.member_number
JOIN share_account h ON h.cooperative_id = :c AND h.member_id = m.id
WHERE {num("s.paid_in")} > 0
"""


def load_shares(session: Session, params: dict[str, Any], actor: Actor) -> int:
    post(session, params, actor, _SHARE_LINES, "aportaciones")
    return int(session.execute(text("SELECT count(*) FROM import_stage")).scalar_one())


# --- GL balances ------------------------------------------------------------------------

_GL_LINES = f"""
SELECT g.id AS gl, g.currency,
    coalesce({num("s.debit")}, 0) - coalesce({num("s.credit")}, 0) AS amount,
    NULL AS kind, NULL::uuid AS account, NULL::numeric AS after
FROM import_stage s
JOIN gl_account g ON g.cooperative_id = :c AND g.code = s.gl_code AND g.currency = s.currency
WHERE coalesce({num("s.debit")}, 0) - coalesce({num("s.credit")}, 0) <> 0
"""


def load_gl_balances(session: Session, params: dict[str, Any], actor: Actor) -> int:
    post(session, params, actor, _GL_LINES, "saldos contables")
    return int(session.execute(text("SELECT count(*) FROM import_stage")).scalar_one())
