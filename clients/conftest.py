"""Shared fixtures for the real-client tests.

`scripts/client-tests.sh` starts `tenantsim serve --strict-auth` with brittest and contoso
and a signing key it chose, then exports TENANTSIM_URL and TENANTSIM_SIGNING_KEY. Every
test here talks to that process over HTTP, as an unmodified client would.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import pathlib
from functools import lru_cache

import pytest
import requests
import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent

BRITTEST = "brittest.onmicrosoft.com"
BRITTEST_APP = ("5e1f7a44-9a0b-4c1e-8d2f-6b3a9c0d1e2f", "brittest-tool-secret")
BRITTEST_ADMIN = ("britton@brittest.onmicrosoft.com", "Brit-Test-2019!")
CONTOSO = "contoso.onmicrosoft.com"
CONTOSO_SCANNER = ("0c7d3e21-5b8a-4f6e-9a1d-2e4f6a8b0c13", "contoso-scanner-secret")

GRAPH = "https://graph.microsoft.com/.default"
EXCHANGE = "https://outlook.office365.com/.default"
MANAGEMENT = "https://manage.office.com/.default"
# Microsoft Graph Command Line Tools, a public client the password grant accepts by id.
PUBLIC_CLIENT = "14d82eec-204b-4c2f-b7e8-296a70dab67e"


def base_url() -> str:
    url = os.environ.get("TENANTSIM_URL")
    if not url:
        pytest.skip("TENANTSIM_URL is not set: run these tests through scripts/client-tests.sh")
    return url.rstrip("/")


@pytest.fixture(scope="session")
def base() -> str:
    return base_url()


@lru_cache(maxsize=None)
def fixture(name: str) -> dict:
    with open(ROOT / "mock-tenant" / f"{name}.yaml", encoding="utf-8") as f:
        return yaml.safe_load(f)


def fixture_user_count(name: str) -> int:
    return len(fixture(name)["users"])


def fixture_mailbox_count(name: str) -> int:
    """Every user gets a mailbox unless it says `mailbox: false` (Docs/fixtures.md), plus
    the mailboxes without a user of their own."""
    data = fixture(name)
    with_mailbox = [u for u in data["users"] if {k.lower(): v for k, v in u.items()}.get("mailbox", True) is not False]
    return len(with_mailbox) + len(data.get("mailboxes") or [])


# --- Tokens -------------------------------------------------------------------------------

def token_response(tenant: str, form: dict) -> requests.Response:
    return requests.post(f"{base_url()}/{tenant}/oauth2/v2.0/token", data=form, timeout=30)


def app_token(scope: str, tenant: str = BRITTEST, app: tuple[str, str] = BRITTEST_APP) -> str:
    r = token_response(tenant, {"grant_type": "client_credentials", "client_id": app[0],
                                "client_secret": app[1], "scope": scope})
    assert r.status_code == 200, r.text[:500]
    return r.json()["access_token"]


def password_grant(user: str, password: str, tenant: str = BRITTEST, scope: str = GRAPH) -> requests.Response:
    return token_response(tenant, {"grant_type": "password", "client_id": PUBLIC_CLIENT, "username": user,
                                   "password": password, "scope": scope})


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def claims(token: str) -> dict:
    return json.loads(b64url_decode(token.split(".")[1]))


def sign(header: dict, payload: dict, secret: str) -> str:
    """A compact HS256 JWS keyed like the server's `--signing-key` (SHA-256 of the text)."""
    key = hashlib.sha256(secret.encode()).digest()
    signing_input = b64url(json.dumps(header, separators=(",", ":")).encode()) + "." + \
        b64url(json.dumps(payload, separators=(",", ":")).encode())
    mac = hmac.new(key, signing_input.encode(), hashlib.sha256).digest()
    return signing_input + "." + b64url(mac)


def reissued(token: str, secret: str | None = None, **changes) -> str:
    """The same claims with `changes`, signed with `secret` (the server's key by default)."""
    key = secret if secret is not None else os.environ.get("TENANTSIM_SIGNING_KEY")
    if not key:
        pytest.skip("TENANTSIM_SIGNING_KEY is not set: the server's signing key is needed to mint tokens")
    header = json.loads(b64url_decode(token.split(".")[0]))
    payload = claims(token)
    payload.update(changes)
    return sign(header, payload, key)


@pytest.fixture(scope="session")
def graph_token() -> str:
    return app_token(GRAPH)


@pytest.fixture(scope="session")
def exchange_token() -> str:
    return app_token(EXCHANGE)
