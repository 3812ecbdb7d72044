"""The federation's reading of every cooperative: indicators by month, their series, and
the federation's settings (targets, thresholds). Federation staff only."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, WithJsonSchema

from coopac_core.errors import RoleNotAllowed
from coopac_core.federation import indicators as ind
from coopac_core.federation.indicators import Indicator, SettingsOut, SettingsUpdate
from coopac_core.federation.models import SbsLevel
from coopac_core.money import Amount
from coopac_core.openapi import FILE, TEXT_FILE, problem_responses
from coopac_core.reports.errors import PeriodInFuture, PeriodRangeInvalid
from coopac_core.reports.models import PeriodSnapshot, PeriodStatus
from coopac_core.reports.render import MEDIA_TYPES, CsvDialect, DialectQuery, Format, Table, respond
from coopac_core.reports.schemas import PERIOD_PATTERN
from coopac_core.security.deps import PrincipalDep, SessionDep
from coopac_core.security.roles import FEDERATION_ROLES, Role

router = APIRouter(prefix="/api/v1/federation", tags=["federation"])


def _value_text(value: Decimal | int) -> str:
    return str(value) if isinstance(value, int) else f"{value:f}"


RatioText = Annotated[
    Decimal,
    PlainSerializer(_value_text, return_type=str, when_used="json"),
    WithJsonSchema({"type": "string", "pattern": r"^-?[0-9]+\.[0-9]+$", "examples": ["0.0512"]}),
]


class AlertOut(BaseModel):
    indicator: Indicator
    value: str
    min: RatioText | None
    max: RatioText | None
    breach: Literal["below", "above"]


class _Figures(BaseModel):
    members: int
    savers: int
    borrowers: int
    total_assets: Amount
    deposits: Amount = Field(description="The savings control accounts (21x1, 21x2, 21x3)")
    share_capital: Amount
    gross_loans: Amount = Field(description="14x1 + 14x4 + 14x5 + 14x6")
    overdue_loans: Amount = Field(description="14x5 + 14x6")
    provisions: Amount = Field(description="The allowance booked (14x9)")
    overdue_ratio: RatioText | None
    high_risk_ratio: RatioText | None
    par30: RatioText | None
    provision_coverage: RatioText | None
    p1: RatioText | None = Field(
        description="PEARLS P1: the allowance over loans more than 12 months in arrears"
    )
    p2: RatioText | None = Field(
        description="PEARLS P2: the allowance left after P1's over loans 1 to 12 months in arrears"
    )
    capital_to_assets: RatioText | None
    institutional_capital_ratio: RatioText | None
    liquidity_ratio: RatioText | None
    liquidity_pen: RatioText | None = Field(
        description="Liquid assets over short-term liabilities in soles (the supervisor's)"
    )
    liquidity_usd: RatioText | None = Field(
        description="Liquid assets over short-term liabilities in dollars (the supervisor's)"
    )
    roa: RatioText | None
    roe: RatioText | None
    loans_to_assets: RatioText | None
    operations: int = Field(description="The month's member operations, reversals left out")
    digital_share: RatioText | None = Field(
        description="Of them, those through a digital channel (an agent, the mobile app)"
    )


_ROW_EXAMPLE: dict[str, Any] = {
    "members": 1250,
    "savers": 1180,
    "borrowers": 410,
    "total_assets": "8120450.10",
    "deposits": "6210300.55",
    "share_capital": "820000.00",
    "gross_loans": "5480120.00",
    "overdue_loans": "221400.00",
    "provisions": "240110.35",
    "overdue_ratio": "0.0404",
    "high_risk_ratio": "0.0404",
    "par30": "0.0388",
    "provision_coverage": "1.0845",
    "p1": "2.4102",
    "p2": "0.5120",
    "capital_to_assets": "0.1402",
    "institutional_capital_ratio": "0.0310",
    "liquidity_ratio": "0.2271",
    "liquidity_pen": "0.2105",
    "liquidity_usd": "0.3150",
    "roa": "0.0273",
    "roe": "0.1946",
    "loans_to_assets": "0.6453",
    "operations": 8120,
    "digital_share": "0.1875",
}


class IndicatorRowOut(_Figures):
    cooperative_id: uuid.UUID
    code: str
    name: str
    sbs_level: SbsLevel
    period_status: PeriodStatus
    alerts: list[AlertOut]


class IndicatorTotalsOut(_Figures):
    cooperatives: int


class IndicatorsOut(BaseModel):
    """One row per cooperative that took the month; the federation's totals (ratios of
    the sums); amounts in soles, ratios as fractions."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "period": "2027-01",
                    "cooperatives": [
                        {
                            "cooperative_id": "4f9aae38-05d9-464d-be89-5551844626e1",
                            "code": "COOPSUR",
                            "name": "Cooperativa de Ahorro y Crédito Sur Andino",
                            "sbs_level": "2A",
                            "period_status": "closed",
                            **_ROW_EXAMPLE,
                            "alerts": [
                                {
                                    "indicator": "liquidity_ratio",
                                    "value": "0.2271",
                                    "min": "0.15",
                                    "max": "0.20",
                                    "breach": "above",
                                }
                            ],
                        }
                    ],
                    "totals": {"cooperatives": 1, **_ROW_EXAMPLE},
                }
            ]
        }
    )

    period: str
    cooperatives: list[IndicatorRowOut]
    totals: IndicatorTotalsOut


class SeriesPointOut(BaseModel):
    period: str
    value: str | None


class SeriesLineOut(BaseModel):
    cooperative_id: uuid.UUID
    code: str
    name: str
    points: list[SeriesPointOut]


class SeriesOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "indicator": "overdue_ratio",
                    "period_from": "2026-02",
                    "period_to": "2027-01",
                    "cooperatives": [
                        {
                            "cooperative_id": "4f9aae38-05d9-464d-be89-5551844626e1",
                            "code": "COOPSUR",
                            "name": "Cooperativa de Ahorro y Crédito Sur Andino",
                            "points": [
                                {"period": "2026-12", "value": "0.0391"},
                                {"period": "2027-01", "value": "0.0404"},
                            ],
                        }
                    ],
                }
            ]
        }
    )

    indicator: Indicator
    period_from: str
    period_to: str
    cooperatives: list[SeriesLineOut]


READERS = FEDERATION_ROLES
PeriodQuery = Annotated[str | None, Query(pattern=PERIOD_PATTERN, examples=["2027-01"])]


@router.get(
    "/indicators",
    response_model=IndicatorsOut,
    responses=problem_responses(RoleNotAllowed, PeriodInFuture),
    summary="Every cooperative's indicators of a month, with the alerts against the "
    "federation's targets (federation staff)",
)
def get_indicators(
    principal: PrincipalDep, session: SessionDep, period: PeriodQuery = None
) -> IndicatorsOut:
    principal.require_federation(READERS)
    month = period or ind.latest_period(session)
    ind.check_period(month)
    goals = ind.targets(session)
    rows = []
    snaps: list[PeriodSnapshot] = []
    for snap, coop in ind.month_rows(session, month):
        values = ind.figures(snap)
        snaps.append(snap)
        rows.append(
            IndicatorRowOut(
                cooperative_id=coop.id,
                code=coop.code,
                name=coop.name,
                sbs_level=SbsLevel(coop.sbs_level),
                period_status=PeriodStatus(snap.status),
                alerts=[AlertOut.model_validate(a) for a in _alert_texts(values, goals)],
                **{k.value: v for k, v in values.items()},
            )
        )
    totals = ind.figures(ind.Totals(snaps))
    return IndicatorsOut(
        period=month,
        cooperatives=rows,
        totals=IndicatorTotalsOut(
            cooperatives=len(rows), **{k.value: v for k, v in totals.items()}
        ),
    )


def _alert_texts(
    values: dict[Indicator, Decimal | int | None], goals: dict[Indicator, ind.Target]
) -> list[dict[str, object]]:
    return [
        {**a, "value": _value_text(a["value"])}  # type: ignore[arg-type]
        for a in ind.alerts(values, goals)
    ]


@router.get(
    "/indicators/series",
    response_model=SeriesOut,
    responses={
        **problem_responses(RoleNotAllowed, PeriodInFuture, PeriodRangeInvalid),
        200: {
            "description": "The series (json), or the same as csv or xlsx with ?format=",
            "content": {MEDIA_TYPES[Format.csv]: TEXT_FILE, MEDIA_TYPES[Format.xlsx]: FILE},
        },
    },
    summary="One indicator per cooperative and month, for charts (federation staff)",
)
def get_indicator_series(
    principal: PrincipalDep,
    session: SessionDep,
    indicator: Indicator = Indicator.overdue_ratio,
    period_from: Annotated[
        str | None, Query(alias="from", pattern=PERIOD_PATTERN, examples=["2026-02"])
    ] = None,
    period_to: Annotated[
        str | None, Query(alias="to", pattern=PERIOD_PATTERN, examples=["2027-01"])
    ] = None,
    format: Literal["json", "csv", "xlsx"] = "json",
    dialect: DialectQuery = CsvDialect.default,
) -> SeriesOut | Response:
    principal.require_federation(READERS)
    end = period_to or ind.latest_period(session)
    start = period_from or ind.shift(end, -11)
    lines: dict[str, SeriesLineOut] = {}
    for snap, coop in ind.series_rows(session, start, end):
        value = ind.figures(snap)[indicator]
        line = lines.setdefault(
            coop.code,
            SeriesLineOut(cooperative_id=coop.id, code=coop.code, name=coop.name, points=[]),
        )
        line.points.append(
            SeriesPointOut(period=snap.period, value=None if value is None else _value_text(value))
        )
    out = SeriesOut(
        indicator=indicator, period_from=start, period_to=end, cooperatives=list(lines.values())
    )
    if format == "json":
        return out
    table = Table(
        title=f"Serie: {ind.LABELS[indicator]}",
        subtitle=[f"Indicador {ind.LABELS[indicator]}, periodos {start} a {end}"],
        columns=["Cooperativa", "Nombre", "Periodo", ind.LABELS[indicator]],
    )
    for line in out.cooperatives:
        for point in line.points:
            value = Decimal(point.value) if point.value is not None else None
            table.add([line.code, line.name, point.period, value])
    return respond(table, Format(format), f"serie-{indicator.value}-{start}-{end}", dialect)


@router.get(
    "/settings",
    response_model=SettingsOut,
    responses=problem_responses(RoleNotAllowed),
    summary="The federation's targets for its alerts and the cash register's thresholds",
)
def get_settings(principal: PrincipalDep, session: SessionDep) -> SettingsOut:
    principal.require_federation(READERS)
    return ind.get_settings(session)


@router.put(
    "/settings",
    response_model=SettingsOut,
    responses=problem_responses(RoleNotAllowed),
    summary="Change the targets or the thresholds (federation_admin)",
)
def put_settings(body: SettingsUpdate, principal: PrincipalDep, session: SessionDep) -> SettingsOut:
    principal.require_federation({Role.federation_admin})
    return ind.update_settings(session, principal, body)
