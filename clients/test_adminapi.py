"""The Exchange admin API (`InvokeCommand`) driven with plain `requests`, the way the
ExchangeOnlineManagement v3 module and REST scripts call it."""

from __future__ import annotations

import time
from urllib.parse import urlsplit

import pytest
import requests

from conftest import (BRITTEST, CONTOSO, CONTOSO_SCANNER, EXCHANGE, GRAPH, app_token, claims,
                      fixture_mailbox_count, reissued)

GET_MAILBOX = {"CmdletInput": {"CmdletName": "Get-Mailbox", "Parameters": {"ResultSize": "Unlimited"}}}


def invoke_url(base: str, tenant: str = BRITTEST, version: str = "beta") -> str:
    return f"{base}/adminapi/{version}/{tenant}/InvokeCommand"


def invoke(base: str, token: str | None, body, tenant: str = BRITTEST, headers: dict | None = None, **kwargs) -> requests.Response:
    h = {"Authorization": f"Bearer {token}"} if token is not None else {}
    h.update(headers or {})
    if isinstance(body, (bytes, str)):
        h.setdefault("Content-Type", "application/json")
        return requests.post(invoke_url(base, tenant), data=body, headers=h, timeout=60, **kwargs)
    return requests.post(invoke_url(base, tenant), json=body, headers=h, timeout=60, **kwargs)


def assert_admin_error(response: requests.Response, status: int) -> dict:
    """The admin API's nested error: code, message, details[].message, innererror."""
    assert response.status_code == status, response.text[:500]
    error = response.json()["error"]
    assert isinstance(error["code"], str) and error["code"]
    assert isinstance(error["message"], str) and error["message"]
    assert [d["message"] for d in error["details"]] == [error["message"]]
    assert isinstance(error["innererror"], dict)
    assert error["innererror"]["internalException"]["message"] == error["message"]
    return error


def pop_enabled(base: str, token: str, identity: str) -> bool:
    r = invoke(base, token, {"CmdletInput": {"CmdletName": "Get-CASMailbox", "Parameters": {"Identity": identity}}})
    assert r.status_code == 200, r.text[:500]
    return r.json()["value"][0]["PopEnabled"]


# --- Paging -------------------------------------------------------------------------------

def test_get_mailbox_pages_by_reposting_the_body_to_the_next_link(base, exchange_token):
    headers = {"Authorization": f"Bearer {exchange_token}", "Prefer": "odata.maxpagesize=5"}
    url = invoke_url(base)
    identities: list[str] = []
    pages = 0
    while url:
        r = requests.post(url, json=GET_MAILBOX, headers=headers, timeout=60)
        assert r.status_code == 200, r.text[:500]
        assert r.headers["Preference-Applied"] == "odata.maxpagesize=5"
        body = r.json()
        assert body["@odata.context"].endswith("$metadata#Collection(Exchange.GenericHashTable)")
        assert 1 <= len(body["value"]) <= 5
        identities += [m["PrimarySmtpAddress"] for m in body["value"]]
        pages += 1
        url = body.get("@odata.nextLink")
        if url:
            # The link points back at the server the client reached, on its real port.
            assert urlsplit(url).netloc == urlsplit(base).netloc, url
        assert pages < 100, "the nextLink chain does not end"
    expected = fixture_mailbox_count("brittest")
    assert len(identities) == expected
    assert len(set(identities)) == expected
    assert pages == -(-expected // 5)


def test_one_page_holds_every_mailbox_without_a_preference(base, exchange_token):
    r = invoke(base, exchange_token, GET_MAILBOX)
    assert r.status_code == 200, r.text[:500]
    body = r.json()
    assert "@odata.nextLink" not in body
    assert len(body["value"]) == fixture_mailbox_count("brittest")


def test_select_keeps_only_the_named_properties(base, exchange_token):
    r = requests.post(invoke_url(base) + "?$select=PrimarySmtpAddress,AuditEnabled", json=GET_MAILBOX,
                      headers={"Authorization": f"Bearer {exchange_token}"}, timeout=60)
    assert r.status_code == 200, r.text[:500]
    for mailbox in r.json()["value"]:
        assert set(mailbox) == {"PrimarySmtpAddress", "AuditEnabled"}


def test_a_spent_skip_token_is_refused(base, exchange_token):
    headers = {"Authorization": f"Bearer {exchange_token}", "Prefer": "odata.maxpagesize=5"}
    first = requests.post(invoke_url(base), json=GET_MAILBOX, headers=headers, timeout=60).json()
    link = first["@odata.nextLink"]
    assert requests.post(link, json=GET_MAILBOX, headers=headers, timeout=60).status_code == 200
    assert_admin_error(requests.post(link, json=GET_MAILBOX, headers=headers, timeout=60), 400)


# --- Cmdlet errors ------------------------------------------------------------------------

def test_unknown_cmdlet_answers_powershells_message(base, exchange_token):
    r = invoke(base, exchange_token, {"CmdletInput": {"CmdletName": "Get-MailboxStatisticz", "Parameters": {}}})
    error = assert_admin_error(r, 400)
    assert error["message"] == ("The term 'Get-MailboxStatisticz' is not recognized as the name of a cmdlet, function, "
                                "script file, or operable program. Check the spelling of the name, or if a path was "
                                "included, verify that the path is correct and try again.")


def test_unknown_parameter_answers_powershells_message(base, exchange_token):
    r = invoke(base, exchange_token, {"CmdletInput": {"CmdletName": "Get-Mailbox", "Parameters": {"ResultSise": "Unlimited"}}})
    error = assert_admin_error(r, 400)
    assert error["message"] == "A parameter cannot be found that matches parameter name 'ResultSise'."


def test_unknown_identity_is_not_found(base, exchange_token):
    r = invoke(base, exchange_token, {"CmdletInput": {"CmdletName": "Get-Mailbox", "Parameters": {"Identity": "nobody-here"}}})
    error = assert_admin_error(r, 404)
    assert "nobody-here" in error["message"]


def test_set_cas_mailbox_changes_the_tenant_and_a_failed_set_changes_nothing(base, exchange_token):
    assert pop_enabled(base, exchange_token, "adele") is True
    try:
        ok = invoke(base, exchange_token, {"CmdletInput": {"CmdletName": "Set-CASMailbox",
                                                           "Parameters": {"Identity": "adele", "PopEnabled": False}}})
        assert ok.status_code == 200, ok.text[:500]
        assert pop_enabled(base, exchange_token, "adele") is False
        bad = invoke(base, exchange_token, {"CmdletInput": {"CmdletName": "Set-CASMailbox",
                                                            "Parameters": {"Identity": "adele", "PopEnabled": True, "ImapEnabeld": False}}})
        assert_admin_error(bad, 400)
        assert pop_enabled(base, exchange_token, "adele") is False
    finally:
        invoke(base, exchange_token, {"CmdletInput": {"CmdletName": "Set-CASMailbox",
                                                      "Parameters": {"Identity": "adele", "PopEnabled": True}}})


# --- Bad requests -------------------------------------------------------------------------

@pytest.mark.parametrize("body", [
    b'{"CmdletInput":',
    b"not json",
    b'{"CmdletInput":{"CmdletName":"Get-Mailbox"}} trailing',
    b'{"CmdletInput":{"CmdletName":"Get-Mailbox",}}',
    b'{"CmdletInput":{"CmdletName":"Set-CASMailbox","Parameters":{"Identity":"adele","PopEnabled":false,},},}',
])
def test_malformed_json_is_a_400_in_the_admin_shape(base, exchange_token, body):
    assert_admin_error(invoke(base, exchange_token, body), 400)


@pytest.mark.parametrize("body", [{}, {"CmdletInput": {}}, {"CmdletInput": {"CmdletName": "Get-Mailbox", "Parameters": [1]}}])
def test_a_body_without_a_cmdlet_is_a_400(base, exchange_token, body):
    assert_admin_error(invoke(base, exchange_token, body), 400)


def test_an_unknown_tenant_is_not_found(base, exchange_token):
    assert_admin_error(invoke(base, exchange_token, GET_MAILBOX, tenant="nosuch.onmicrosoft.com"), 404)


def test_an_oversized_body_is_refused_and_changes_nothing(base, exchange_token):
    padding = "x" * (5 * 1024 * 1024)
    body = {"CmdletInput": {"CmdletName": "Set-CASMailbox",
                            "Parameters": {"Identity": "adele", "PopEnabled": False, "CustomAttribute1": padding}}}
    r = invoke(base, exchange_token, body)
    assert_admin_error(r, 413)
    assert pop_enabled(base, exchange_token, "adele") is True


# --- Tokens -------------------------------------------------------------------------------

def bad_tokens(exchange_token: str) -> dict[str, str | None]:
    now = int(time.time())
    # Signed with the server's own key, so only the lifetime is wrong; the tenant's clock
    # is the fixture's, so the token's own iat is "now".
    iat = int(claims(exchange_token)["iat"])
    return {
        "missing": None,
        "empty": "",
        "garbage": "not-a-token",
        "expired": reissued(exchange_token, iat=iat - 7200, nbf=iat - 7200, exp=iat - 3600),
        "foreign-signature": reissued(exchange_token, secret=f"someone-else-{now}"),
        "graph-audience": app_token(GRAPH),
    }


@pytest.mark.parametrize("kind", ["missing", "empty", "garbage", "expired", "foreign-signature", "graph-audience"])
def test_a_bad_token_is_a_401_with_a_challenge_and_changes_nothing(base, exchange_token, kind):
    token = bad_tokens(exchange_token)[kind]
    body = {"CmdletInput": {"CmdletName": "Set-CASMailbox", "Parameters": {"Identity": "adele", "PopEnabled": False}}}
    r = invoke(base, token, body)
    error = assert_admin_error(r, 401)
    assert error["code"] == "Unauthorized"
    assert r.headers["WWW-Authenticate"].startswith("Bearer ")
    assert 'error="invalid_token"' in r.headers["WWW-Authenticate"]
    assert pop_enabled(base, exchange_token, "adele") is True


def test_another_tenants_token_is_refused_and_changes_nothing(base, exchange_token):
    contoso = app_token(EXCHANGE, tenant=CONTOSO, app=CONTOSO_SCANNER)
    body = {"CmdletInput": {"CmdletName": "Set-CASMailbox", "Parameters": {"Identity": "adele", "PopEnabled": False}}}
    r = invoke(base, contoso, body)
    assert r.status_code in (401, 403), r.text[:500]
    assert_admin_error(r, r.status_code)
    assert pop_enabled(base, exchange_token, "adele") is True


def test_the_modules_headers_are_accepted(base, exchange_token):
    headers = {"X-ResponseFormat": "json", "X-AnchorMailbox": f"UPN:SystemMailbox@{BRITTEST}",
               "X-CmdletName": "Get-Mailbox", "X-ClientApplication": "ExoManagementModule",
               "connection-id": "4f1d8c2e-0000-4000-8000-000000000001", "Prefer": "odata.maxpagesize=1000",
               "client-request-id": "7d0c1d46-0000-4000-8000-000000000002"}
    r = invoke(base, exchange_token, GET_MAILBOX, headers=headers)
    assert r.status_code == 200, r.text[:500]
    assert r.headers["client-request-id"] == headers["client-request-id"]
    assert r.headers["request-id"]
