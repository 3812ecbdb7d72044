"""Refusals of authentication, staff users, roles and API keys."""

from __future__ import annotations

from coopac_core.errors import (
    BadRequest,
    Conflict,
    DomainError,
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


class ApiKeyRevoked(Unauthorized):
    code = "api_key_revoked"
    template = "La clave de API fue revocada"


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
)
