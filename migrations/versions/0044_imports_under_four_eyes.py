"""imports under four eyes: a job is checked (loaded and undone), waits for another
person's approval and then loads whole, in one transaction; it may be refused as a whole
(error_code, import_unbalanced). A job the service before this left running (loading file
by file) cannot go on under the new rule: it is failed, saying so, and prepared again.

Revision ID: 0044
Revises: 0043
Create Date: 2026-12-07 15:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0044"
down_revision: str | None = "0043"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATUSES = "'checking', 'awaiting_approval', 'rejected', 'running', 'succeeded', 'failed'"
OLD_STATUSES = "'running', 'succeeded', 'failed'"


def upgrade() -> None:
    op.add_column("import_job", sa.Column("error_code", sa.String(length=40), nullable=True))
    op.alter_column(
        "import_job",
        "status",
        existing_type=sa.String(length=10),
        type_=sa.String(length=20),
        existing_nullable=False,
    )
    op.drop_constraint("import_status_valid", "import_job", type_="check")
    op.create_check_constraint("import_status_valid", "import_job", f"status IN ({STATUSES})")
    op.execute(
        "SELECT set_config('coopac.tenant', '*', true);"
        "UPDATE import_job SET status = 'failed', finished_at = now(), "
        "error = 'Interrumpida por la actualización a importaciones con aprobación: "
        "prepárela de nuevo' WHERE status = 'running'"
    )


def downgrade() -> None:
    op.execute(
        "SELECT set_config('coopac.tenant', '*', true);"
        "UPDATE import_job SET status = 'failed' WHERE status NOT IN ("
        f"{OLD_STATUSES})"
    )
    op.drop_constraint("import_status_valid", "import_job", type_="check")
    op.create_check_constraint("import_status_valid", "import_job", f"status IN ({OLD_STATUSES})")
    op.alter_column(
        "import_job",
        "status",
        existing_type=sa.String(length=20),
        type_=sa.String(length=10),
        existing_nullable=False,
    )
    op.drop_column("import_job", "error_code")
