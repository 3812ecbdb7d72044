from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Form, Request, Response, status
from fastapi.responses import JSONResponse

from coopac_core.db import ALL_TENANTS, Database, set_tenant_scope
from coopac_core.errors import RoleNotAllowed
from coopac_core.federation.errors import BranchNotFound
from coopac_core.idempotent_creates import CreateOnce, FederationCreateOnce
from coopac_core.openapi import coop_responses, list_responses, problem_responses
from coopac_core.pagination import Page, PageDep, cursor_key, cursor_time_id, make_page
from coopac_core.security import activation, login, service, users
from coopac_core.security.deps import (
    PendingPrincipalDep,
    PrincipalDep,
    SessionDep,
    SettingsDep,
    coop_access,
)
from coopac_core.security.errors import (
    AccountLocked,
    ActivationCodeExpired,
    ActivationCodeInvalid,
    AdminWithMoneyRole,
    ApiKeyNotFound,
    ApiKeyOwnerLacksRole,
    ApiKeyRoleNotAllowed,
    BranchRequired,
    CredentialsRequired,
    CurrentPasswordWrong,
    FederationFirstAdminOnly,
    InvalidCredentials,
    InvalidRole,
    InvalidToken,
    OwnPasswordForced,
    OwnRoles,
    PasswordChangeNotForKeys,
    RefreshTokenRequired,
    RefreshTokenReused,
    SamePassword,
    TokenExpired,
    TokenRevoked,
    TooManyAttempts,
    UserAccessRequestPending,
    UserAlreadyActivated,
    UsernameTaken,
    UserNotFound,
    WeakPassword,
)
from coopac_core.security.principal import CoopContext
from coopac_core.security.roles import (
    CREATE_API_KEYS,
    MANAGE_API_KEYS,
    MANAGE_USERS,
    READ_USERS,
    Role,
)
from coopac_core.security.schemas import (
    ActivationRequest,
    ApiKeyCreate,
    ApiKeyCreated,
    ApiKeyOut,
    FederationUserCreate,
    LogoutRequest,
    MeResponse,
    PasswordChange,
    RoleGrantOut,
    TokenResponse,
    UserAccessRequestOut,
    UserCreate,
    UserCreated,
    UserOut,
    UserUpdate,
)
from coopac_core.tellers.errors import BranchNotAllowed

auth_router = APIRouter(prefix="/api/v1", tags=["auth"])
users_router = APIRouter(prefix="/api/v1/cooperatives/{cooperative_id}", tags=["users"])
federation_users_router = APIRouter(prefix="/api/v1/federation", tags=["federation"])


@auth_router.post(
    "/auth/token",
    response_model=TokenResponse,
    responses=problem_responses(
        CredentialsRequired,
        RefreshTokenRequired,
        InvalidCredentials,
        InvalidToken,
        TokenExpired,
        TokenRevoked,
        RefreshTokenReused,
        TooManyAttempts,
        AccountLocked,
        authenticated=False,
    ),
    summary="OAuth2 password flow; also grant_type=refresh_token (each refresh token works once)",
)
def issue_token(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    grant_type: Annotated[Literal["password", "refresh_token"], Form()] = "password",
    username: Annotated[str | None, Form(max_length=64)] = None,
    password: Annotated[str | None, Form(max_length=256)] = None,
    refresh_token: Annotated[str | None, Form(max_length=4096)] = None,
) -> TokenResponse:
    # No caller yet: the credentials themselves decide whose rows are read.
    set_tenant_scope(session, ALL_TENANTS)
    db: Database = request.app.state.db
    if grant_type == "refresh_token":
        if not refresh_token:
            raise RefreshTokenRequired()
        try:
            return login.refresh(session, settings, refresh_token)
        except RefreshTokenReused as reused:
            # This request's transaction rolls back (and lets go of the token's row); the
            # revocation must stand, so it commits on its own.
            session.rollback()
            with db.session(ALL_TENANTS) as own:
                login.revoke_family(own, uuid.UUID(str(reused.params["family"])))
            raise
    if not username or not password:
        raise CredentialsRequired()
    address = request.client.host if request.client else "unknown"
    try:
        return login.login(session, settings, username, password, address)
    except InvalidCredentials:
        with db.session(ALL_TENANTS) as own:  # counted even though the login fails
            login.record_failure(own, username, address)
        raise


@auth_router.post(
    "/auth/logout",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(InvalidToken, TokenExpired, TokenRevoked, authenticated=False),
    summary="End the session a refresh token belongs to",
)
def logout(body: LogoutRequest, session: SessionDep, settings: SettingsDep) -> Response:
    set_tenant_scope(session, ALL_TENANTS)
    login.logout(session, settings, body.refresh_token)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@auth_router.post(
    "/auth/password",
    response_model=TokenResponse,
    responses=problem_responses(
        CurrentPasswordWrong, AccountLocked, WeakPassword, SamePassword, PasswordChangeNotForKeys
    ),
    summary="Change one's own password: other sessions end, this one gets new tokens",
)
def change_password(
    request: Request,
    body: PasswordChange,
    principal: PendingPrincipalDep,
    session: SessionDep,
    settings: SettingsDep,
) -> TokenResponse:
    try:
        return login.change_password(
            session, settings, principal, body.current_password, body.new_password
        )
    except CurrentPasswordWrong:
        # a wrong current password is a guess like a wrong login: counted toward the same
        # lockout and audited, in a transaction of its own (this one rolls back)
        address = request.client.host if request.client else "unknown"
        db: Database = request.app.state.db
        with db.session(ALL_TENANTS) as own:
            login.record_failure(own, principal.name, address)
        raise


@auth_router.post(
    "/auth/activate",
    response_model=TokenResponse,
    responses=problem_responses(
        ActivationCodeInvalid,
        ActivationCodeExpired,
        WeakPassword,
        TooManyAttempts,
        authenticated=False,
    ),
    summary="A new user chooses their own password with the activation code they were "
    "handed (it works once, for 72 hours), and is logged in",
)
def activate(
    request: Request, body: ActivationRequest, session: SessionDep, settings: SettingsDep
) -> TokenResponse:
    set_tenant_scope(session, ALL_TENANTS)
    address = request.client.host if request.client else "unknown"
    try:
        return activation.activate(
            session, settings, body.activation_code, body.new_password, body.username, address
        )
    except ActivationCodeInvalid:
        # a guess like a wrong password: counted toward the address's limit, audited
        db: Database = request.app.state.db
        with db.session(ALL_TENANTS) as own:
            login.record_failure(own, body.username or "(activation)", address)
        raise


@auth_router.get("/me", response_model=MeResponse, responses=problem_responses())
def get_me(principal: PendingPrincipalDep) -> MeResponse:
    grants = [
        RoleGrantOut(role=r, cooperative_id=None, branch_id=None)
        for r in sorted(principal.federation_roles)
    ]
    for coop_id, roles in principal.cooperative_roles.items():
        branch = principal.branches.get(coop_id)
        grants += [
            RoleGrantOut(role=r, cooperative_id=coop_id, branch_id=branch) for r in sorted(roles)
        ]
    return MeResponse(
        id=principal.user_id,
        api_key_id=principal.api_key_id,
        username=principal.name,
        full_name=principal.full_name,
        cooperative_id=principal.home_cooperative_id,
        roles=grants,
        password_change_required=principal.password_change_required,
    )


@users_router.post(
    "/users",
    status_code=status.HTTP_201_CREATED,
    response_model=UserCreated,
    responses=coop_responses(
        UsernameTaken,
        InvalidRole,
        BranchRequired,
        BranchNotFound,
        AdminWithMoneyRole,
        FederationFirstAdminOnly,
    ),
    summary="Create a user, without a password: the answer shows their activation code once. "
    "Roles that move or approve money, and admin, wait for a second person (access_request)",
)
def create_user(
    body: UserCreate,
    ctx: Annotated[CoopContext, Depends(coop_access(MANAGE_USERS))],
    session: SessionDep,
    once: CreateOnce,
) -> Response:
    return once.run(session, ctx, lambda: users.create_user(session, ctx, body))


@users_router.get("/users", response_model=Page[UserOut], responses=list_responses())
def list_users(
    ctx: Annotated[CoopContext, Depends(coop_access(READ_USERS))],
    session: SessionDep,
    page: PageDep,
) -> Page[UserOut]:
    rows = users.list_users(
        session, ctx.cooperative_id, limit=page.limit + 1, after=cursor_key(page.cursor, str)
    )
    return make_page(rows, page.limit, lambda u: [u.username])


@users_router.get(
    "/users/{user_id}", response_model=UserOut, responses=coop_responses(UserNotFound)
)
def get_user(
    user_id: uuid.UUID,
    ctx: Annotated[CoopContext, Depends(coop_access(READ_USERS))],
    session: SessionDep,
) -> UserOut:
    return users.get_user(session, ctx.cooperative_id, user_id)


@users_router.patch(
    "/users/{user_id}",
    response_model=UserOut,
    responses={
        202: {
            "model": UserAccessRequestOut,
            "description": "More power (a role that moves or approves money, admin, a "
            "teller's other branch) or enabling a disabled user: a request that another "
            "admin or the manager decides; nothing changed yet",
        },
        **coop_responses(
            UserNotFound,
            InvalidRole,
            BranchRequired,
            BranchNotFound,
            AdminWithMoneyRole,
            OwnRoles,
            FederationFirstAdminOnly,
            UserAccessRequestPending,
        ),
    },
    summary="Change a user; is_active=false disables them and revokes their tokens",
)
def update_user(
    user_id: uuid.UUID,
    body: UserUpdate,
    ctx: Annotated[CoopContext, Depends(coop_access(MANAGE_USERS))],
    session: SessionDep,
) -> Response:
    done = users.update_user(session, ctx, user_id, body)
    code = status.HTTP_202_ACCEPTED if isinstance(done, UserAccessRequestOut) else 200
    return JSONResponse(done.model_dump(mode="json"), status_code=code)


@users_router.post(
    "/users/{user_id}/activation-code",
    response_model=UserCreated,
    responses=coop_responses(UserNotFound, UserAlreadyActivated),
    summary="Another activation code for a user who never activated (the old one stops "
    "working); shown once",
)
def new_activation_code(
    user_id: uuid.UUID,
    ctx: Annotated[CoopContext, Depends(coop_access(MANAGE_USERS))],
    session: SessionDep,
) -> UserCreated:
    return users.new_activation_code(session, ctx, user_id)


@users_router.post(
    "/users/{user_id}/force-password-change",
    response_model=UserOut,
    responses=coop_responses(UserNotFound, OwnPasswordForced),
    summary="Send a user to choose a new password: their sessions end and their next login "
    "may only change it (the administrator never sets nor learns it)",
)
def force_password_change(
    user_id: uuid.UUID,
    ctx: Annotated[CoopContext, Depends(coop_access(MANAGE_USERS))],
    session: SessionDep,
) -> UserOut:
    return users.force_password_change(session, ctx, user_id)


@users_router.post(
    "/users/{user_id}/unlock",
    response_model=UserOut,
    responses=coop_responses(UserNotFound),
    summary="Unlock a user locked out by wrong passwords",
)
def unlock_user(
    user_id: uuid.UUID,
    ctx: Annotated[CoopContext, Depends(coop_access(MANAGE_USERS))],
    session: SessionDep,
) -> UserOut:
    return users.unlock_user(session, ctx, user_id)


@users_router.post(
    "/api-keys",
    status_code=status.HTTP_201_CREATED,
    response_model=ApiKeyCreated,
    responses=coop_responses(
        InvalidRole,
        BranchRequired,
        BranchNotFound,
        BranchNotAllowed,
        ApiKeyRoleNotAllowed,
        ApiKeyOwnerLacksRole,
    ),
    tags=["api-keys"],
    summary="Create an API key that acts for the caller, with some of their roles; the key is "
    "shown only once",
)
def create_api_key(
    body: ApiKeyCreate,
    ctx: Annotated[CoopContext, Depends(coop_access(CREATE_API_KEYS))],
    session: SessionDep,
) -> ApiKeyCreated:
    return service.create_api_key(session, ctx, body)


@users_router.get(
    "/api-keys",
    response_model=Page[ApiKeyOut],
    responses=list_responses(),
    tags=["api-keys"],
    summary="The cooperative's API keys, oldest first",
)
def list_api_keys(
    ctx: Annotated[CoopContext, Depends(coop_access(MANAGE_API_KEYS))],
    session: SessionDep,
    page: PageDep,
) -> Page[ApiKeyOut]:
    rows = service.list_api_keys(
        session, ctx.cooperative_id, after=cursor_time_id(page.cursor), limit=page.limit + 1
    )
    return make_page(rows, page.limit, lambda k: [k.created_at.isoformat(), str(k.id)])


@users_router.post(
    "/api-keys/{api_key_id}/revoke",
    response_model=ApiKeyOut,
    responses=coop_responses(ApiKeyNotFound),
    tags=["api-keys"],
)
def revoke_api_key(
    api_key_id: uuid.UUID,
    ctx: Annotated[CoopContext, Depends(coop_access(MANAGE_API_KEYS))],
    session: SessionDep,
) -> ApiKeyOut:
    return service.revoke_api_key(session, ctx, api_key_id)


@federation_users_router.post(
    "/users",
    status_code=status.HTTP_201_CREATED,
    response_model=UserCreated,
    responses=problem_responses(RoleNotAllowed, UsernameTaken, InvalidRole),
    summary="Create a federation user (federation_admin or federation_analyst), without a "
    "password: the answer shows their activation code once",
)
def create_federation_user(
    body: FederationUserCreate,
    principal: PrincipalDep,
    session: SessionDep,
    once: FederationCreateOnce,
) -> Response:
    principal.require_federation({Role.federation_admin})
    return once.run(
        session, principal, lambda: users.create_federation_user(session, principal, body)
    )
