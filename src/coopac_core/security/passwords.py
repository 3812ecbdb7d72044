"""Passwords: hashing with argon2id (argon2-cffi, a maintained binding of the reference C
code) and the policy a new password must meet."""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()


@cache
def _dummy_hash() -> str:
    """Verifying against this keeps the time of a login with an unknown username the same
    as with a known one, so timing does not reveal which usernames exist (made on first use:
    a hash costs a tenth of a second, which every process would pay at start)."""
    return _hasher.hash("coopac-dummy-password")


# DOMAIN.md is silent: 12 characters (NIST SP 800-63B asks at least 8; a bank, more).
MIN_PASSWORD_LENGTH = 12
_MIN_DISTINCT = 5


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        matches = _hasher.verify(password_hash or _dummy_hash(), password)
        return matches and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


@cache
def common_passwords() -> frozenset[str]:
    text = files("coopac_core.security").joinpath("common_passwords.txt").read_text("utf-8")
    return frozenset(
        line.strip().lower() for line in text.splitlines() if line.strip() and line[0] != "#"
    )


def password_problem(password: str, username: str | None) -> tuple[str, str] | None:
    """Why ``password`` may not be used (Spanish, English), or None."""
    lowered = password.lower()
    if len(password) < MIN_PASSWORD_LENGTH:
        return (
            f"La contraseña debe tener al menos {MIN_PASSWORD_LENGTH} caracteres",
            f"A password has at least {MIN_PASSWORD_LENGTH} characters",
        )
    if username and username.lower() in lowered:
        return "La contraseña no puede contener el usuario", "A password may not hold the username"
    if lowered in common_passwords() or len(set(lowered)) < _MIN_DISTINCT:
        return "La contraseña es demasiado común", "That password is too common"
    return None
