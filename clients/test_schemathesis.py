"""schemathesis against the server's own /openapi.json: whatever it generates, the server
answers without a 5xx and every documented response matches its schema.

Runs deterministically (derandomized Hypothesis) so CI is repeatable. Each request carries
a valid app token for its API family, and about half of the generated tenant and user
path values are swapped for served ones, so the handlers behind strict auth and the tenant
lookup are reached too. It runs last (files run in name order): it changes the tenants."""

from __future__ import annotations

import os
import zlib

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from conftest import BRITTEST, BRITTEST_ADMIN, BRITTEST_APP, CONTOSO, CONTOSO_SCANNER, EXCHANGE, GRAPH, MANAGEMENT, app_token

URL = os.environ.get("TENANTSIM_URL", "").rstrip("/")
if not URL:
    pytest.skip("TENANTSIM_URL is not set: run these tests through scripts/client-tests.sh", allow_module_level=True)

# Fault rules answer 429/5xx because they are told to: posting random valid rules would
# turn every later request into an injected error, which is the feature, not a bug.
schema = schemathesis.openapi.from_url(f"{URL}/openapi.json").exclude(path_regex=r"^/sim/v1/faults")

TOKENS: dict[tuple[str, str], str] = {}
TENANT_IDS = {t["initialDomain"]: t["id"] for t in requests.get(f"{URL}/health", timeout=30).json()["tenants"]}


def token(scope: str, tenant: str = BRITTEST) -> str:
    if (scope, tenant) not in TOKENS:
        TOKENS[(scope, tenant)] = app_token(scope, tenant=tenant, app=CONTOSO_SCANNER if tenant == CONTOSO else BRITTEST_APP)
    return TOKENS[(scope, tenant)]


def half(value) -> bool:
    """A deterministic coin: about half of the generated values are swapped for real ones."""
    return zlib.crc32(str(value).encode()) % 2 == 0


def prepare(case) -> dict[str, str]:
    """Points about half the cases at served tenants and real users, so the handlers behind
    the tenant lookup run too, and returns the family's bearer header."""
    path = case.operation.path.lower()
    params = case.path_parameters if case.path_parameters is not None else {}
    if path.startswith("/adminapi/"):
        if "tenant" in params and half(params["tenant"]):
            params["tenant"] = BRITTEST
        return {"Authorization": f"Bearer {token(EXCHANGE)}"}
    if path.startswith("/api/"):
        # contoso has unified audit log ingestion on; its scanner app holds ActivityFeed.Read.
        if "tenant" in params and half(params["tenant"]):
            params["tenant"] = TENANT_IDS[CONTOSO]
        return {"Authorization": f"Bearer {token(MANAGEMENT, CONTOSO)}"}
    if path.startswith("/v1.0/") or path.startswith("/beta/"):
        if "id" in params and "/users/{id}" in path and case.method != "DELETE" and half(params["id"]):
            params["id"] = BRITTEST_ADMIN[0]
        return {"Authorization": f"Bearer {token(GRAPH)}"}
    if path.endswith("/token") and "tenant" in params and half(params["tenant"]):
        params["tenant"] = BRITTEST
    return {}


@schema.parametrize()
@settings(max_examples=int(os.environ.get("TENANTSIM_SCHEMATHESIS_EXAMPLES", "25")), derandomize=True, deadline=None,
          suppress_health_check=list(HealthCheck), database=None)
def test_api_conforms_to_its_openapi_document(case):
    headers = prepare(case)
    case.call_and_validate(base_url=URL, headers=headers, timeout=30,
                           checks=[not_a_server_error, response_schema_conformance])
