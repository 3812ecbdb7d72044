"""events from one function: coopac_emit_events writes every event that is not a journal
entry's, for the services (events.service.emit) and for close of business's sets of loans

Revision ID: 0039
Revises: 0038
Create Date: 2026-12-07 07:58:01
"""

from collections.abc import Sequence

from alembic import op
from alembic_utils.pg_function import PGFunction
from frozen import rls

revision: str = "0039"
down_revision: str | None = "0038"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SIGNATURE = "coopac_emit_events(uuid, date, jsonb)"
EMIT_EVENTS = PGFunction(
    schema="public",
    signature="coopac_emit_events(p_coop uuid, p_business_date date, p_events jsonb)",
    definition="""returns integer
 LANGUAGE sql
AS $function$
    WITH written AS (
        INSERT INTO event (cooperative_id, id, type, subject_kind, subject_id, business_date,
            data)
        SELECT p_coop, gen_random_uuid(), e ->> 'type', e ->> 'subject_kind',
            e ->> 'subject_id', p_business_date, e -> 'data'
        FROM jsonb_array_elements(coalesce(p_events, '[]'::jsonb)) AS e
        RETURNING 1
    )
    SELECT count(*)::integer FROM written
$function$""",
)


def upgrade() -> None:
    op.create_entity(EMIT_EVENTS)  # type: ignore[attr-defined]  # alembic_utils adds it
    op.execute(f"REVOKE ALL ON FUNCTION {SIGNATURE} FROM PUBLIC")
    op.execute(f"GRANT EXECUTE ON FUNCTION {SIGNATURE} TO {rls.app_role()}")


def downgrade() -> None:
    op.drop_entity(EMIT_EVENTS)  # type: ignore[attr-defined]
