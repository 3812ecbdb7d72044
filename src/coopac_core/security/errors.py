"""Refusals of authentication, staff users, roles and API keys."""

from __future__ import annotations

from coopac_core.errors import (
    BadRequest,
    Conflict,
    DomainError,
    Forbidden,
    NotAuthenticated,
    NotFound,
    Unauthorized,
    Unprocessable,
)


class InvalidCredentials(Unauthorized):
    code = "invalid_credentials"
    template = "Usuario o contraseña incorrectos"


class InvalidToken(Unauthorized):
    code = "invalid_token"
    template = "Token inválido"
    meaning = "The bearer token is malformed, forged or of the wrong type."


class TokenExpired(Unauthorized):
    code = "token_expired"
    template = "El token ha expirado"
    meaning = "Refresh it (grant_type=refresh_token) or log in again."


class TokenRevoked(Unauthorized):
    code = "token_revoked"
    template = "La sesión fue revocada"
    meaning = "The user was disabled, or changed password or roles, after the token was issued."


class InvalidApiKey(Unauthorized):
    code = "invalid_api_key"
    template = "Clave de API inválida"


class ApiKeyOwnerInactive(Unauthorized):
    code = "api_key_owner_inactive"
    template = "La clave de API ya no actúa por nadie: su titular está inactivo"
    meaning = "The key's owner was disabled (or it has no owner): the key stops with them."


class ApiKeyRoleNotAllowed(Unprocessable):
    code = "api_key_role_not_allowed"
    template = "Una clave de API no puede tener los roles {roles}"
    meaning = "Keys never hold admin, manager or credit_committee: approvals need a person."


class ApiKeyOwnerLacksRole(Unprocessable):
    code = "api_key_owner_lacks_role"
    template = "El titular de la clave no tiene los roles {roles}"
    meaning = "A key acts for the person who makes it, with at most that person's own roles."


class ApiKeyRevoked(Unauthorized):
    code = "api_key_revoked"
    template = "La clave de API fue revocada"


class ApiKeyExpired(Unauthorized):
    code = "api_key_expired"
    template = "La clave de API venció ({expires_at}): pida una nueva"


class ApiKeyExpiryInvalid(Unprocessable):
    code = "api_key_expiry_invalid"
    template = "El vencimiento de la clave debe ser futuro y no pasar de {max_days} días"


class TooManyAttempts(DomainError):
    status = 429
    code = "too_many_attempts"
    template = "Demasiados intentos fallidos desde esta dirección; espere {retry_after} s"
    meaning = "More than 20 failed logins from one address in 10 minutes; Retry-After says "
    "when to try again."


class AccountLocked(DomainError):
    status = 429
    code = "account_locked"
    template = "Cuenta bloqueada por intentos fallidos; espere {retry_after} s o pida el desbloqueo"
    meaning = "Five wrong passwords in a row lock the account for 15 minutes, or until an "
    "admin unlocks it."


class RefreshTokenReused(Unauthorized):
    code = "refresh_token_reused"
    template = "El refresh token ya se usó: se cerraron las sesiones que nacieron de él"
    meaning = "A refresh token works once. Presented again, it was copied: its whole family "
    "of tokens is revoked and the user logs in again."


class WeakPassword(Unprocessable):
    code = "weak_password"
    template = "{reason}"
    meaning = "At least 12 characters, not the username, not a common password."


class CurrentPasswordWrong(Forbidden):
    code = "current_password_wrong"
    template = "La contraseña actual no es correcta"


class PasswordChangeRequired(Forbidden):
    code = "password_change_required"
    template = (
        "Debe elegir su propia contraseña antes de continuar: POST /api/v1/auth/password "
        "con la contraseña actual y la nueva"
    )
    meaning = "A user created by an administrator (or sent to change it) must first set "
    "their own password; until then the session may only call /auth/password and /auth/me."


class SamePassword(Unprocessable):
    code = "same_password"
    template = "La nueva contraseña debe ser distinta de la actual"


class PasswordChangeNotForKeys(Forbidden):
    code = "password_change_not_for_keys"
    template = "Una clave de API no tiene contraseña"


class CredentialsRequired(BadRequest):
    code = "credentials_required"
    template = "Faltan usuario o contraseña"


class RefreshTokenRequired(BadRequest):
    code = "refresh_token_required"
    template = "Falta refresh_token"


class InvalidRole(Unprocessable):
    code = "invalid_role"
    template = "{reason}"
    meaning = "A federation role granted in a cooperative, or a cooperative role to a "
    "federation user."


class AdminWithMoneyRole(Unprocessable):
    code = "admin_with_money_role"
    template = "Quien administra usuarios no mueve ni aprueba dinero: admin no va con {roles}"
    meaning = "Segregation of duties: admin never together with teller, manager, "
    "credit_committee or accountant."


class OwnPasswordForced(Forbidden):
    code = "own_password_forced"
    template = "Para cambiar su propia contraseña use POST /api/v1/auth/password"


class OwnRoles(Forbidden):
    code = "own_roles"
    template = "Nadie cambia sus propios roles"
    meaning = "Another administrator must change them."


class BranchRequired(Unprocessable):
    code = "branch_required"
    template = "Un cajero debe tener una agencia (branch_id)"


class UsernameTaken(Conflict):
    code = "username_taken"
    template = "El nombre de usuario ya existe"
    meaning = "Usernames are unique across the federation; the answer names no one."


class UserNotFound(NotFound):
    code = "user_not_found"
    template = "Usuario no encontrado"


class ApiKeyNotFound(NotFound):
    code = "api_key_not_found"
    template = "Clave de API no encontrada"


# Any authenticated route may answer these.
AUTH_ERRORS: tuple[type[DomainError], ...] = (
    NotAuthenticated,
    InvalidToken,
    TokenExpired,
    TokenRevoked,
    InvalidApiKey,
    ApiKeyRevoked,
    ApiKeyOwnerInactive,
    PasswordChangeRequired,
)


class FederationFirstAdminOnly(Forbidden):
    code = "federation_first_admin_only"
    template = (
        "La federación crea solo el primer administrador de una cooperativa; sus demás "
        "usuarios y sus roles los gestiona la propia cooperativa"
    )
    meaning = (
        "Federation staff never hold or hand out a cooperative's money roles: they create its "
        "first admin (when it has none) and nothing else among its users."
    )


class ActivationCodeInvalid(Unauthorized):
    code = "activation_code_invalid"
    template = "Código de activación incorrecto"
    meaning = (
        "No user waits for this code (or the username does not match). Counted like a "
        "wrong password toward the address's limit."
    )


class ActivationCodeExpired(Unauthorized):
    code = "activation_code_expired"
    template = "El código de activación venció el {expires_at}: pida uno nuevo a su administrador"
    meaning = "A code works for 72 hours; the administrator issues another one."


class UserAlreadyActivated(Conflict):
    code = "user_already_activated"
    template = "El usuario ya eligió su contraseña: no se le da otro código de activación"
    meaning = (
        "An activation code is for a user who never logged in; one who forgot their "
        "password is sent to change it (force-password-change) or disabled."
    )


class UserAccessRequestNotFound(NotFound):
    code = "user_access_request_not_found"
    template = "Solicitud de acceso no encontrada"


class UserAccessRequestDecided(Conflict):
    code = "user_access_request_decided"
    template = "La solicitud de acceso ya fue {status}"


class UserAccessRequestPending(Conflict):
    code = "user_access_request_pending"
    template = (
        "Ya hay una solicitud pendiente sobre este usuario ({request_id}, de {by}): "
        "decídala antes de pedir otra"
    )


class UserAccessNotIndependent(Forbidden):
    code = "user_access_not_independent"
    template = (
        "No puede decidir esta solicitud: es sobre usted, o usted creó al usuario o a quien "
        "la pidió (tuvo sus códigos de activación)"
    )
    meaning = (
        "Four eyes on users: whoever created a user held their activation code, so they "
        "count as that user and never decide a request about them or made by them."
    )


class UserAccessForTheCooperative(Forbidden):
    code = "user_access_decided_by_cooperative"
    template = (
        "La cooperativa tiene quien decida esta solicitud (otro administrador o el gerente): "
        "la federación solo decide cuando no lo hay"
    )
    meaning = (
        "The federation's administrator decides a cooperative's user requests only while "
        "the cooperative has no other active admin or manager who could (its founding)."
    )
