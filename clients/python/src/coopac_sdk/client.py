"""The client: sync (``Coopac``) and async (``AsyncCoopac``), over httpx.

- Logs in with a username and password (and refreshes its token before it expires, or once
  when the API says it has), or uses an API key.
- Every money call carries an ``Idempotency-Key``; when the answer is lost (a timeout, a
  dropped link, a 503) it sends the same request with the same key again, so the money moves
  once and the second answer is the first one replayed.
- ``pages()`` follows ``next_cursor``; ``events()`` follows the event feed's cursor.
- A refusal raises the exception class of its ``code`` (``coopac_sdk.errors``), all of them
  ``ProblemError``.
"""

from __future__ import annotations

import asyncio
import re
import time
import uuid
from collections.abc import AsyncIterator, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel

from coopac_sdk import models
from coopac_sdk.errors import BY_CODE
from coopac_sdk.problem import AmountInvalid, GaveUp, ProblemError

M = TypeVar("M", bound=BaseModel)
API = "/api/v1"
# what a lost answer looks like: the request may or may not have been done
RETRIABLE = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)
RETRIABLE_STATUS = frozenset({502, 503, 504})


def problem(response: httpx.Response) -> ProblemError:
    try:
        body = response.json()
    except ValueError:
        body = {"code": "unknown", "detail": response.text[:200]}
    if not isinstance(body, dict):
        body = {"code": "unknown", "detail": str(body)[:200]}
    cls = BY_CODE.get(str(body.get("code")), ProblemError)
    return cls(body, response.status_code)


def money_text(amount: Decimal | str | int) -> str:
    """The amount as the API takes it, with two decimals, never rounded: ``"10.005"``,
    ``"1e2"``, ``"0.001"``, ``NaN`` or a float raise ``AmountInvalid``."""
    if isinstance(amount, bool) or not isinstance(amount, Decimal | str | int):
        raise AmountInvalid(f"importe inválido: {amount!r} (use Decimal o texto)")
    text = str(amount).strip()
    if not re.fullmatch(r"-?[0-9]+(\.[0-9]{1,2})?", text):
        raise AmountInvalid(f"importe inválido: {amount!r} (a lo más dos decimales)")
    return f"{Decimal(text):.2f}"


@dataclass
class _Token:
    access: str
    refresh: str | None
    expires_at: float


class _Base:
    def __init__(
        self,
        base_url: str,
        *,
        username: str | None = None,
        password: str | None = None,
        api_key: str | None = None,
        channel: str | None = None,
        retries: int = 4,
        backoff: float = 0.5,
    ) -> None:
        if api_key is None and (username is None or password is None):
            raise ValueError("give an api_key, or a username and a password")
        self.base_url = base_url.rstrip("/")
        self.username, self.password, self.api_key = username, password, api_key
        self.channel = channel
        self.retries = retries
        self.backoff = backoff
        self._token: _Token | None = None

    def _headers(self, key: str | None) -> dict[str, str]:
        headers = {"Accept": "application/json"}
        if self.api_key:
            headers["X-API-Key"] = self.api_key
        elif self._token:
            headers["Authorization"] = f"Bearer {self._token.access}"
        if key:
            headers["Idempotency-Key"] = key
        if self.channel:
            headers["X-Channel"] = self.channel
        return headers

    def _token_form(self) -> dict[str, str]:
        if self._token and self._token.refresh and self._token.expires_at > time.time():
            return {"grant_type": "refresh_token", "refresh_token": self._token.refresh}
        return {"grant_type": "password", "username": self.username or "",
                "password": self.password or ""}  # fmt: skip

    def _keep_token(self, response: httpx.Response) -> None:
        if response.status_code != 200:
            raise problem(response)
        body = response.json()
        # refreshed a tenth early, so that a call does not start with a token about to die
        self._token = _Token(
            body["access_token"],
            body.get("refresh_token"),
            time.time() + 0.9 * float(body.get("expires_in", 60)),
        )

    def _needs_token(self) -> bool:
        return self.api_key is None and (
            self._token is None or self._token.expires_at <= time.time()
        )

    @staticmethod
    def _decode(response: httpx.Response, model: type[M] | None) -> Any:
        if response.status_code >= 400:
            raise problem(response)
        if model is None:
            return response.json() if response.content else None
        return model.model_validate(response.json())


class Coopac(_Base):
    """The synchronous client. ``with Coopac(...) as api:`` closes its connections."""

    def __init__(self, base_url: str, *, timeout: float = 15.0, **kwargs: Any) -> None:
        super().__init__(base_url, **kwargs)
        self.http = httpx.Client(base_url=self.base_url, timeout=timeout)

    def __enter__(self) -> Coopac:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.http.close()

    def login(self) -> None:
        self._keep_token(self.http.post(f"{API}/auth/token", data=self._token_form()))

    def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        files: Any = None,
        model: type[M] | None = None,
        idempotent: bool = False,
        key: str | None = None,
    ) -> Any:
        """One call. ``idempotent``: a money call, sent with an Idempotency-Key (``key``, or
        a new one) and sent again with the same key while its answer is lost."""
        if idempotent and key is None:
            key = str(uuid.uuid4())
        attempt = 0
        refreshed = False
        while True:
            if self._needs_token():
                self.login()
            try:
                response = self.http.request(
                    method,
                    f"{API}{path}",
                    json=json,
                    params=params,
                    files=files,
                    headers=self._headers(key),
                )
            except RETRIABLE as lost:
                if not idempotent:
                    raise
                if attempt >= self.retries:
                    assert key is not None
                    raise GaveUp(key, lost) from lost
                attempt += 1
                time.sleep(self.backoff * 2 ** (attempt - 1))
                continue
            if response.status_code == 401 and self.api_key is None and not refreshed:
                refreshed = True  # the token died early (a restart, a revocation): once more
                self._token = None
                continue
            if response.status_code in RETRIABLE_STATUS and idempotent:
                if attempt >= self.retries:
                    assert key is not None
                    raise GaveUp(key, f"{response.status_code}")
                attempt += 1
                time.sleep(self.backoff * 2 ** (attempt - 1))
                continue
            return self._decode(response, model)

    def get(self, path: str, model: type[M], **params: Any) -> M:
        result: M = self.request("GET", path, params=params or None, model=model)
        return result

    def pages(self, path: str, **params: Any) -> Iterator[dict[str, Any]]:
        """Every item of a cursor-paginated list, page after page."""
        cursor = None
        while True:
            query = {**params, **({"cursor": cursor} if cursor else {})}
            page = self.request("GET", path, params=query)
            yield from page["items"]
            cursor = page.get("next_cursor")
            if not cursor:
                return

    # --- what integrations do most -------------------------------------------------------

    def me(self) -> models.MeResponse:
        return self.get("/me", models.MeResponse)

    def create_member(
        self, cooperative_id: str, member: models.MemberCreate, *, key: str | None = None
    ) -> models.MemberOut:
        result: models.MemberOut = self.request(
            "POST",
            f"/cooperatives/{cooperative_id}/members",
            json=member.model_dump(mode="json", exclude_none=True),
            model=models.MemberOut,
            idempotent=True,
            key=key,
        )
        return result

    def deposit(
        self,
        cooperative_id: str,
        account_id: str,
        amount: Decimal | str,
        *,
        key: str | None = None,
        **extra: Any,
    ) -> models.Movement:
        return self._cash("deposits", cooperative_id, account_id, amount, key, extra)

    def withdraw(
        self,
        cooperative_id: str,
        account_id: str,
        amount: Decimal | str,
        *,
        key: str | None = None,
        **extra: Any,
    ) -> models.Movement:
        return self._cash("withdrawals", cooperative_id, account_id, amount, key, extra)

    def _cash(
        self,
        what: str,
        cooperative_id: str,
        account_id: str,
        amount: Decimal | str,
        key: str | None,
        extra: dict[str, Any],
    ) -> models.Movement:
        result: models.Movement = self.request(
            "POST",
            f"/cooperatives/{cooperative_id}/savings-accounts/{account_id}/{what}",
            json={"amount": money_text(amount), **extra},
            model=models.Movement,
            idempotent=True,
            key=key,
        )
        return result

    def events(
        self, cooperative_id: str, after: str | None = None, types: list[str] | None = None
    ) -> Iterator[dict[str, Any]]:
        """The event feed from ``after`` to what has committed now; each event's
        ``cursor`` is where to resume next time."""
        while True:
            params: dict[str, Any] = {"limit": 500}
            if after:
                params["after"] = after
            if types:
                params["types"] = ",".join(types)
            feed = self.request("GET", f"/cooperatives/{cooperative_id}/events", params=params)
            yield from feed["items"]
            after = feed["next_cursor"]
            if not feed["has_more"]:
                return


class AsyncCoopac(_Base):
    """The asynchronous client, the same calls awaited."""

    def __init__(self, base_url: str, *, timeout: float = 15.0, **kwargs: Any) -> None:
        super().__init__(base_url, **kwargs)
        self.http = httpx.AsyncClient(base_url=self.base_url, timeout=timeout)

    async def __aenter__(self) -> AsyncCoopac:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def close(self) -> None:
        await self.http.aclose()

    async def login(self) -> None:
        self._keep_token(await self.http.post(f"{API}/auth/token", data=self._token_form()))

    async def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        files: Any = None,
        model: type[M] | None = None,
        idempotent: bool = False,
        key: str | None = None,
    ) -> Any:
        """One call, as ``Coopac.request``."""
        if idempotent and key is None:
            key = str(uuid.uuid4())
        attempt = 0
        refreshed = False
        while True:
            if self._needs_token():
                await self.login()
            try:
                response = await self.http.request(
                    method,
                    f"{API}{path}",
                    json=json,
                    params=params,
                    files=files,
                    headers=self._headers(key),
                )
            except RETRIABLE as lost:
                if not idempotent:
                    raise
                if attempt >= self.retries:
                    assert key is not None
                    raise GaveUp(key, lost) from lost
                attempt += 1
                await asyncio.sleep(self.backoff * 2 ** (attempt - 1))
                continue
            if response.status_code == 401 and self.api_key is None and not refreshed:
                refreshed = True
                self._token = None
                continue
            if response.status_code in RETRIABLE_STATUS and idempotent:
                if attempt >= self.retries:
                    assert key is not None
                    raise GaveUp(key, f"{response.status_code}")
                attempt += 1
                await asyncio.sleep(self.backoff * 2 ** (attempt - 1))
                continue
            return self._decode(response, model)

    async def pages(self, path: str, **params: Any) -> AsyncIterator[dict[str, Any]]:
        cursor = None
        while True:
            query = {**params, **({"cursor": cursor} if cursor else {})}
            page = await self.request("GET", path, params=query)
            for item in page["items"]:
                yield item
            cursor = page.get("next_cursor")
            if not cursor:
                return

    async def get(self, path: str, model: type[M], **params: Any) -> M:
        result: M = await self.request("GET", path, params=params or None, model=model)
        return result

    async def me(self) -> models.MeResponse:
        return await self.get("/me", models.MeResponse)

    async def create_member(
        self, cooperative_id: str, member: models.MemberCreate, *, key: str | None = None
    ) -> models.MemberOut:
        result: models.MemberOut = await self.request(
            "POST",
            f"/cooperatives/{cooperative_id}/members",
            json=member.model_dump(mode="json", exclude_none=True),
            model=models.MemberOut,
            idempotent=True,
            key=key,
        )
        return result

    async def deposit(
        self,
        cooperative_id: str,
        account_id: str,
        amount: Decimal | str,
        *,
        key: str | None = None,
        **extra: Any,
    ) -> models.Movement:
        return await self._cash("deposits", cooperative_id, account_id, amount, key, extra)

    async def withdraw(
        self,
        cooperative_id: str,
        account_id: str,
        amount: Decimal | str,
        *,
        key: str | None = None,
        **extra: Any,
    ) -> models.Movement:
        return await self._cash("withdrawals", cooperative_id, account_id, amount, key, extra)

    async def _cash(
        self,
        what: str,
        cooperative_id: str,
        account_id: str,
        amount: Decimal | str,
        key: str | None,
        extra: dict[str, Any],
    ) -> models.Movement:
        result: models.Movement = await self.request(
            "POST",
            f"/cooperatives/{cooperative_id}/savings-accounts/{account_id}/{what}",
            json={"amount": money_text(amount), **extra},
            model=models.Movement,
            idempotent=True,
            key=key,
        )
        return result

    async def events(
        self, cooperative_id: str, after: str | None = None, types: list[str] | None = None
    ) -> AsyncIterator[dict[str, Any]]:
        """As ``Coopac.events``."""
        while True:
            params: dict[str, Any] = {"limit": 500}
            if after:
                params["after"] = after
            if types:
                params["types"] = ",".join(types)
            feed = await self.request(
                "GET", f"/cooperatives/{cooperative_id}/events", params=params
            )
            for item in feed["items"]:
                yield item
            after = feed["next_cursor"]
            if not feed["has_more"]:
                return
