"""What a person deciding a request sends."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints


class Decision(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"note": "Socio identificado"}]})

    note: Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)] | None = None
