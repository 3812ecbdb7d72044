"""FastAPI dependencies: the request's transaction, its caller, and its tenant scope."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Path, Request
from fastapi.security import APIKeyHeader, OAuth2PasswordBearer
from sqlmodel import Session

from coopac_core.config import Settings
from coopac_core.db import ALL_TENANTS, Database, set_tenant_scope
from coopac_core.errors import NotAuthenticated
from coopac_core.federation.errors import CooperativeInactive
from coopac_core.federation.models import Cooperative
from coopac_core.security import service
from coopac_core.security.errors import PasswordChangeRequired
from coopac_core.security.principal import CoopContext, Principal
from coopac_core.security.roles import Role

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)
api_key_scheme = APIKeyHeader(name="X-API-Key", auto_error=False)


# Dependencies that touch no database are ``async def``: FastAPI runs a plain ``def``
# dependency in the thread pool, and on a money POST those hops cost more than the work.


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_session(request: Request) -> Iterator[Session]:
    """One request, one transaction: committed before the response is sent, rolled back
    on any error."""
    db: Database = request.app.state.db
    with db.session() as session:
        yield session


# scope="function": the commit happens before the response is sent. A client must never
# hear 201 for money that a failed commit then did not post.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
SettingsDep = Annotated[Settings, Depends(get_settings)]


def authenticate_pending(
    session: SessionDep,
    settings: SettingsDep,
    token: Annotated[str | None, Depends(oauth2_scheme)],
    api_key: Annotated[str | None, Depends(api_key_scheme)],
) -> Principal:
    """The caller, even one whose session may only change its password."""
    return authenticate_in(session, settings, token, api_key, allow_pending=True)


def authenticate(
    session: SessionDep,
    settings: SettingsDep,
    token: Annotated[str | None, Depends(oauth2_scheme)],
    api_key: Annotated[str | None, Depends(api_key_scheme)],
) -> Principal:
    return authenticate_in(session, settings, token, api_key)


def authenticate_in(
    session: Session,
    settings: Settings,
    token: str | None,
    api_key: str | None,
    *,
    allow_pending: bool = False,
) -> Principal:
    """Who is calling. The tenant scope it leaves is not the request's: the caller sets
    that (``get_principal``, ``enter_cooperative``). A session that must first change its
    password is refused unless ``allow_pending`` (the two routes that let it do so)."""
    if token:
        principal = service.principal_from_token(session, settings, token)
        if principal.password_change_required and not allow_pending:
            raise PasswordChangeRequired()
        return principal
    if api_key:
        # API keys are looked up before we know their cooperative.
        set_tenant_scope(session, ALL_TENANTS)
        return service.principal_from_api_key(session, api_key)
    raise NotAuthenticated()


def _scoped(session: Session, principal: Principal) -> Principal:
    """The caller, with the transaction narrowed to what they may see."""
    if principal.is_federation_user:
        set_tenant_scope(session, ALL_TENANTS)
    else:
        set_tenant_scope(session, principal.home_cooperative_id or uuid.UUID(int=0))
    return principal


def get_principal(
    principal: Annotated[Principal, Depends(authenticate)], session: SessionDep
) -> Principal:
    return _scoped(session, principal)


def get_pending_principal(
    principal: Annotated[Principal, Depends(authenticate_pending)], session: SessionDep
) -> Principal:
    return _scoped(session, principal)


PrincipalDep = Annotated[Principal, Depends(get_principal)]
# For the two routes a session that must first change its password may call.
PendingPrincipalDep = Annotated[Principal, Depends(get_pending_principal)]
CooperativeId = Annotated[uuid.UUID, Path(description="The cooperative's id")]


@dataclass(frozen=True)
class Access:
    """What an access dependency lets in, as the OpenAPI document describes it."""

    roles: frozenset[Role]
    money: bool  # moves or decides on a member's money: federation staff never
    refused_while_inactive: bool  # a deactivated cooperative refuses its writes


ACCESS: dict[Callable[..., Any], Access] = {}


_READS = frozenset({"GET", "HEAD", "OPTIONS"})


def coop_access(
    allowed: Iterable[Role], *, while_inactive: bool = False, money: bool = False
) -> Callable[..., CoopContext]:
    """The caller, holding one of ``allowed`` in the path's cooperative. A write to a
    cooperative the federation deactivated is refused (``while_inactive`` lets the
    federation's own update through, so that it can reactivate it). ``money``: a decision
    on a member's money (an approval, a hold), which federation staff never make."""
    allowed = frozenset(allowed)

    def dependency(
        request: Request,
        cooperative_id: CooperativeId,
        principal: Annotated[Principal, Depends(authenticate)],
        session: SessionDep,
    ) -> CoopContext:
        ctx = enter_cooperative(session, cooperative_id, principal, allowed, money=money)
        if request.method not in _READS and not while_inactive:
            require_active(session, cooperative_id)
        return ctx

    ACCESS[dependency] = Access(allowed, money, refused_while_inactive=not while_inactive)
    return dependency


def require_active(session: Session, cooperative_id: uuid.UUID) -> None:
    coop = session.get(Cooperative, cooperative_id)
    if coop is not None and not coop.is_active:
        raise CooperativeInactive()


def enter_cooperative(
    session: Session,
    cooperative_id: uuid.UUID,
    principal: Principal,
    allowed: frozenset[Role],
    *,
    money: bool = False,
) -> CoopContext:
    """Check the caller may act in the cooperative with one of ``allowed``, and narrow the
    transaction to it."""
    roles = principal.require(cooperative_id, allowed, federation_may_act=not money)
    set_tenant_scope(session, cooperative_id)
    return CoopContext(cooperative_id, principal, roles)
