"""a lighter money path: the answer's JSON helpers inlined, and the posting trigger moves
only the kinds of account an entry posts to

Revision ID: 0034
Revises: 0033
Create Date: 2026-11-27 06:30:00
"""

import re
from collections.abc import Sequence
from pathlib import Path

from alembic import op

revision: str = "0034"
down_revision: str | None = "0033"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# coopac_amount_json and coopac_moment_json were IMMUTABLE, but call to_jsonb, to_char and
# date_part, which are STABLE: PostgreSQL inlines an SQL function only where its body is
# as stable as the function says, so every call ran the SQL-function executor, which parses
# and plans its body again in each new transaction (about 8 calls a deposit). Declared
# STABLE, which is what they are, they are inlined into the caller's cached plan. Nothing
# indexes them.
JSON_HELPERS = ("coopac_amount_json(numeric)", "coopac_moment_json(timestamptz)")

PREVIOUS = Path(__file__).with_name("0031_opening_balances_in_place.py").read_text()


def _previous_trigger() -> str:
    found = re.search(r'FUNCTIONS = r"""(.*?)"""', PREVIOUS, re.S)
    assert found is not None
    return found.group(1)


# 0031's posting trigger moved every kind of account in one statement with four UPDATEs;
# PostgreSQL starts the executor for each of them (their tables and indexes opened) on every
# posting, whatever the entry holds. Each kind now has a statement of its own, run only when
# the entry posts to that kind: a deposit moves a savings account and a till. The opening
# balance's path is 0031's, unchanged.
MOVES = """\
    -- Each kind of account is moved by a statement of its own, run only when the entry
    -- posts to that kind: a deposit starts the executor for two tables, not four.
    SELECT count(*) FILTER (WHERE d.account_kind = 'savings'),
           count(*) FILTER (WHERE d.account_kind = 'share'),
           count(*) FILTER (WHERE d.account_kind = 'loan'),
           (SELECT count(*) FROM new_postings n WHERE n.account_kind IS NULL)
    INTO v_savings, v_shares, v_loans, v_cash
    FROM (SELECT DISTINCT n.account_kind, n.account_id FROM new_postings n
          WHERE n.account_kind IS NOT NULL) d;
    IF v_savings > 0 THEN
        UPDATE savings_account a SET balance = a.balance - d.amount
        FROM (SELECT n.cooperative_id, n.account_id, sum(n.amount) AS amount
              FROM new_postings n WHERE n.account_kind = 'savings'
              GROUP BY n.cooperative_id, n.account_id) d
        WHERE a.cooperative_id = d.cooperative_id AND a.id = d.account_id;
        GET DIAGNOSTICS moved = ROW_COUNT;
        IF moved <> v_savings THEN
            RAISE EXCEPTION 'posted to % savings accounts, moved %', v_savings, moved;
        END IF;
    END IF;
    IF v_shares > 0 THEN
        UPDATE share_account a SET balance = a.balance - d.amount
        FROM (SELECT n.cooperative_id, n.account_id, sum(n.amount) AS amount
              FROM new_postings n WHERE n.account_kind = 'share'
              GROUP BY n.cooperative_id, n.account_id) d
        WHERE a.cooperative_id = d.cooperative_id AND a.id = d.account_id;
        GET DIAGNOSTICS moved = ROW_COUNT;
        IF moved <> v_shares THEN
            RAISE EXCEPTION 'posted to % share accounts, moved %', v_shares, moved;
        END IF;
    END IF;
    IF v_loans > 0 THEN
        UPDATE loan a SET balance = a.balance + d.amount
        FROM (SELECT n.cooperative_id, n.account_id, sum(n.amount) AS amount
              FROM new_postings n WHERE n.account_kind = 'loan'
              GROUP BY n.cooperative_id, n.account_id) d
        WHERE a.cooperative_id = d.cooperative_id AND a.id = d.account_id;
        GET DIAGNOSTICS moved = ROW_COUNT;
        IF moved <> v_loans THEN
            RAISE EXCEPTION 'posted to % loan accounts, moved %', v_loans, moved;
        END IF;
    END IF;
    IF v_cash > 0 THEN
        UPDATE till_cash c SET balance = c.balance + g.amount
        FROM (SELECT n.cooperative_id, n.gl_account_id, sum(n.amount) AS amount
              FROM new_postings n WHERE n.account_kind IS NULL
              GROUP BY n.cooperative_id, n.gl_account_id) g
        WHERE c.cooperative_id = g.cooperative_id AND c.gl_account_id = g.gl_account_id;
    END IF;
    RETURN NULL;
END
$$;
"""


def _trigger() -> str:
    old = _previous_trigger()
    start = old.index("    WITH d AS (\n")
    declared = "    v_holds_delta numeric;\n"
    assert declared in old
    return (
        old[:start].replace(
            declared,
            declared + "    v_savings integer;\n    v_shares integer;\n    v_loans integer;\n"
            "    v_cash integer;\n",
            1,
        )
        + MOVES
    )


def upgrade() -> None:
    for helper in JSON_HELPERS:
        op.execute(f"ALTER FUNCTION {helper} STABLE")
    op.execute(_trigger())


def downgrade() -> None:
    op.execute(_previous_trigger())
    for helper in JSON_HELPERS:
        op.execute(f"ALTER FUNCTION {helper} IMMUTABLE")
