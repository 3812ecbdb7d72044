"""Histories the migrations on main cannot continue, put back on the path they can.

Migration 0020 was changed after it had been on main for a quarter of an hour (665a7e2 to
2d82355): a database migrated by its first version carries 0020's functions with other
signatures (``coopac_post`` without ``p_business_date``) and no ``coopac_post_statement``,
and 0021 stops on it. Its first version created functions and nothing else, so dropping
them, as its own downgrade did, leaves the database as 0019 left it: stamped 0019, it is
migrated by 0020 as it is now. Frozen, like the migrations.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

FIRST_0020_FUNCTIONS = (
    "coopac_money_call(uuid, integer, uuid, text[], text[], text, text, text, text, jsonb, "
    "jsonb, integer, jsonb)",
    "coopac_keep_answer(uuid, text, text, text, integer, jsonb)",
    "coopac_share_payment(uuid, uuid, numeric, uuid, uuid, text, jsonb, jsonb)",
    "coopac_savings_transfer(uuid, uuid, uuid, numeric, text, text, jsonb, jsonb)",
    "coopac_savings_deposit(uuid, uuid, numeric, text, uuid, text, jsonb, jsonb)",
    "coopac_branch_cash(uuid, uuid, text, jsonb)",
    "coopac_savings_check_credit(text, text, date)",
    "coopac_savings_check_debit(text, text, text, date, date, numeric, numeric, numeric, numeric)",
    "coopac_savings_after_credit(uuid, uuid, date)",
    "coopac_post(uuid, text, uuid, text, jsonb, jsonb, uuid[], text[], numeric[], text[], "
    "uuid[], numeric[])",
    "coopac_check_limit(uuid, text, text, numeric, date, uuid, text[], jsonb)",
    "coopac_moment_json(timestamptz)",
    "coopac_amount_json(numeric)",
    "coopac_refuse_caller(text, jsonb)",
    "coopac_refuse(text, jsonb)",
)


def _at_first_0020(conn: Connection) -> bool:
    if conn.execute(text("SELECT to_regclass('alembic_version')")).scalar() is None:
        return False
    version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    if version != "0020":
        return False
    return bool(
        conn.execute(
            text(
                "SELECT to_regprocedure(:first) IS NOT NULL "
                "AND to_regprocedure('coopac_post_statement()') IS NULL"
            ),
            {"first": FIRST_0020_FUNCTIONS[9]},
        ).scalar()
    )


def put_back_on_path(conn: Connection) -> None:
    """Run in the migrations' transaction, before they start."""
    if _at_first_0020(conn):
        for signature in FIRST_0020_FUNCTIONS:
            conn.execute(text(f"DROP FUNCTION IF EXISTS {signature}"))
        conn.execute(text("UPDATE alembic_version SET version_num = '0019'"))
