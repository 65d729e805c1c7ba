"""The Office 365 Management Activity API with plain `requests`, as SIEM collectors call it:
start a subscription, list content, fetch each blob, follow the `NextPageUri` header.
contoso has unified audit log ingestion on; its scanner app holds ActivityFeed.Read."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
import requests

from conftest import BRITTEST, CONTOSO, CONTOSO_SCANNER, MANAGEMENT, app_token, claims, password_grant

CONTENT_TYPE = "Audit.AzureActiveDirectory"


@pytest.fixture(scope="module")
def token() -> str:
    return app_token(MANAGEMENT, tenant=CONTOSO, app=CONTOSO_SCANNER)


@pytest.fixture(scope="module")
def feed(base, token) -> str:
    tenant_id = claims(token)["tid"]
    return f"{base}/api/v1.0/{tenant_id}/activity/feed"


def get(url: str, token: str | None, **params) -> requests.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return requests.get(url, params=params or None, headers=headers, timeout=60)


def assert_af_error(response: requests.Response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.text[:500]
    error = response.json()["error"]
    assert error["code"].startswith("AF"), error
    assert error["message"]
    if code:
        assert error["code"] == code, error
    return error


@pytest.fixture(scope="module")
def subscribed(feed, token) -> None:
    r = requests.post(f"{feed}/subscriptions/start", params={"contentType": CONTENT_TYPE},
                      headers={"Authorization": f"Bearer {token}"}, timeout=60)
    assert r.status_code == 200, r.text[:500]
    body = r.json()
    assert body["contentType"] == CONTENT_TYPE
    assert body["status"] == "enabled"


def test_the_subscription_is_listed(feed, token, subscribed):
    r = get(f"{feed}/subscriptions/list", token)
    assert r.status_code == 200, r.text[:500]
    listed = {s["contentType"]: s for s in r.json()}
    assert listed[CONTENT_TYPE]["status"] == "enabled"


def test_failed_sign_ins_reach_the_feed_through_every_page(base, feed, token, subscribed):
    victim = "kevin.murphy@contoso.com"
    refused = password_grant(victim, "Autumn2025?", tenant=CONTOSO)
    assert refused.status_code == 400, refused.text[:500]
    assert refused.json()["error_codes"] == [50126]

    url, params = f"{feed}/subscriptions/content", {"contentType": CONTENT_TYPE}
    blobs, pages = [], 0
    while url:
        r = get(url, token, **params)
        assert r.status_code == 200, r.text[:500]
        for item in r.json():
            assert item["contentType"] == CONTENT_TYPE
            assert {"contentId", "contentUri", "contentCreated", "contentExpiration"} <= set(item)
            blobs.append(item)
        url, params = r.headers.get("NextPageUri"), {}
        if url:
            assert urlsplit(url).netloc == urlsplit(base).netloc, url
            assert "nextPage=" in url
        pages += 1
        assert pages < 100, "the NextPageUri chain does not end"
    assert blobs, "no content listed after a failed sign-in"

    records = []
    for blob in blobs:
        assert urlsplit(blob["contentUri"]).netloc == urlsplit(base).netloc, blob["contentUri"]
        r = get(blob["contentUri"], token)
        assert r.status_code == 200, r.text[:500]
        assert isinstance(r.json(), list)
        records += r.json()
    failed = [x for x in records if x.get("Operation") == "UserLoginFailed" and (x.get("UserId") or "").lower() == victim]
    assert failed, sorted({(x.get("Operation"), x.get("UserId")) for x in records})
    record = failed[0]
    assert record["Workload"] == "AzureActiveDirectory"
    assert record["RecordType"] == 15
    assert record["OrganizationId"] == claims(token)["tid"]


def test_an_unknown_content_type_is_af20020(feed, token, subscribed):
    assert_af_error(get(f"{feed}/subscriptions/content", token, contentType="Audit.Nonsense"), 400, "AF20020")


def test_a_missing_token_is_a_401_with_a_challenge(feed):
    r = get(f"{feed}/subscriptions/list", None)
    assert_af_error(r, 401)
    assert r.headers["WWW-Authenticate"].startswith("Bearer ")


def test_another_tenants_token_is_af20010(feed):
    brittest = app_token(MANAGEMENT, tenant=BRITTEST)
    assert_af_error(get(f"{feed}/subscriptions/list", brittest), 401, "AF20010")


def test_a_tenant_id_that_is_not_a_guid_is_af20013(base, token):
    assert_af_error(get(f"{base}/api/v1.0/contoso.onmicrosoft.com-x/activity/feed/subscriptions/list", token), 400, "AF20013")


def test_next_page_uri_leads_through_more_than_one_page(base, feed, token, subscribed):
    # Each listing after new records cuts a new blob, and a listing holds at most 100 blobs:
    # 101 failed sign-ins, each followed by a listing, make a second page.
    for i in range(101):
        assert password_grant("ana.silva@contoso.com", f"Wrong-{i}!", tenant=CONTOSO).status_code == 400
        assert get(f"{feed}/subscriptions/content", token, contentType=CONTENT_TYPE).status_code == 200
    url, params = f"{feed}/subscriptions/content", {"contentType": CONTENT_TYPE}
    ids, pages = [], 0
    while url:
        r = get(url, token, **params)
        assert r.status_code == 200, r.text[:500]
        assert len(r.json()) <= 100
        ids += [item["contentId"] for item in r.json()]
        url, params = r.headers.get("NextPageUri"), {}
        pages += 1
        if url:
            assert urlsplit(url).netloc == urlsplit(base).netloc, url
            assert "nextPage=" in url and f"contentType={CONTENT_TYPE}" in url
        assert pages < 20, "the NextPageUri chain does not end"
    assert pages >= 2
    assert len(ids) >= 101
    assert len(set(ids)) == len(ids)
