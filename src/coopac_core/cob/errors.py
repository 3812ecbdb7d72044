"""Refusals of close of business."""

from __future__ import annotations

from coopac_core.errors import Conflict, Forbidden, NotFound


class BusinessDateAheadOfCalendar(Conflict):
    code = "business_date_ahead_of_calendar"
    template = (
        "La fecha de negocio no puede pasar la fecha calendario de la cooperativa "
        "({today}); cerrar hasta {target} no es posible"
    )
    meaning = "Close of business never moves the business date past today in the "
    "cooperative's time zone; only the manager's pre-holiday close reaches tomorrow."


class MultiDayCloseNeedsManager(Forbidden):
    code = "multi_day_close_needs_manager"
    template = "Cerrar más de un día, o el día siguiente antes de un feriado, lo hace el gerente"
    meaning = "days > 1 and pre_holiday need the manager role."


class CloseOfBusinessRunning(Conflict):
    code = "close_of_business_running"
    template = "Ya hay un cierre del día en curso ({run_id}); espere a que termine"
    meaning = "One close-of-business run per cooperative at a time."


class CobRunNotFound(NotFound):
    code = "close_of_business_run_not_found"
    template = "Cierre del día no encontrado"


class TillSessionsOpen(Conflict):
    code = "till_sessions_open"
    template = (
        "Hay {count} sesión(es) de caja abierta(s) de los días a cerrar: ciérrelas con su "
        "arqueo, o el gerente fuerza el cierre (force)"
    )
    meaning = "The problem lists them in till_sessions; force: true (the manager) closes anyway."
