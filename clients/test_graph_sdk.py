"""The Microsoft Graph SDKs for Python (msgraph-sdk, msgraph-beta-sdk), unmodified, pointed
at the simulator: an AccessTokenProvider hands them the token the simulator's token
endpoint issued, and the request adapter's base URL is set before the client is built."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from kiota_abstractions.api_error import APIError
from kiota_abstractions.authentication import AccessTokenProvider, AllowedHostsValidator
from kiota_abstractions.authentication.base_bearer_token_authentication_provider import \
    BaseBearerTokenAuthenticationProvider
from kiota_abstractions.base_request_configuration import RequestConfiguration
from msgraph import GraphRequestAdapter, GraphServiceClient
from msgraph.generated.users.users_request_builder import UsersRequestBuilder
from msgraph_core.tasks.page_iterator import PageIterator
from msgraph_beta import GraphRequestAdapter as BetaRequestAdapter
from msgraph_beta import GraphServiceClient as BetaServiceClient
from msgraph_beta.generated.models.per_user_mfa_state import PerUserMfaState
from msgraph_beta.generated.models.strong_authentication_requirements import StrongAuthenticationRequirements

from conftest import BRITTEST_ADMIN, base_url, fixture_user_count, password_grant

UPN, PASSWORD = BRITTEST_ADMIN


class SimulatorTokenProvider(AccessTokenProvider):
    """Returns a token the simulator issued (client credentials of brittest's tool app)."""

    def __init__(self, token: str, host: str) -> None:
        self.token = token
        self.validator = AllowedHostsValidator([host])

    async def get_authorization_token(self, uri: str, additional_authentication_context: dict[str, Any] = {}) -> str:
        return self.token if self.validator.is_url_host_valid(uri) else ""

    def get_allowed_hosts_validator(self) -> AllowedHostsValidator:
        return self.validator


def host_of(url: str) -> str:
    return url.split("://", 1)[1].split("/", 1)[0].split(":")[0]


def v1_client(token: str) -> GraphServiceClient:
    auth = BaseBearerTokenAuthenticationProvider(SimulatorTokenProvider(token, host_of(base_url())))
    adapter = GraphRequestAdapter(auth)
    adapter.base_url = f"{base_url()}/v1.0"
    return GraphServiceClient(request_adapter=adapter)


def beta_client(token: str) -> BetaServiceClient:
    auth = BaseBearerTokenAuthenticationProvider(SimulatorTokenProvider(token, host_of(base_url())))
    adapter = BetaRequestAdapter(auth)
    adapter.base_url = f"{base_url()}/beta"
    return BetaServiceClient(request_adapter=adapter)


def run(coroutine):
    return asyncio.run(coroutine)


def test_token_provider_refuses_other_hosts(graph_token):
    provider = SimulatorTokenProvider(graph_token, "127.0.0.1")
    assert run(provider.get_authorization_token("https://graph.microsoft.com/v1.0/users")) == ""
    assert run(provider.get_authorization_token(f"{base_url()}/v1.0/users")) == graph_token


def test_list_users_follows_next_links_to_every_user(graph_token):
    async def body():
        client = v1_client(graph_token)
        config = RequestConfiguration(query_parameters=UsersRequestBuilder.UsersRequestBuilderGetQueryParameters(top=10))
        page = await client.users.get(request_configuration=config)
        users, pages = list(page.value), 1
        assert len(page.value) == 10
        while page.odata_next_link:
            page = await client.users.with_url(page.odata_next_link).get()
            users += page.value
            pages += 1
            assert pages < 50
        return users, pages

    users, pages = run(body())
    expected = fixture_user_count("brittest")
    assert len(users) == expected
    assert len({u.id for u in users}) == expected
    assert pages == -(-expected // 10)
    assert UPN in {u.user_principal_name for u in users}


def test_page_iterator_reads_every_user(graph_token):

    async def body():
        client = v1_client(graph_token)
        config = RequestConfiguration(query_parameters=UsersRequestBuilder.UsersRequestBuilderGetQueryParameters(top=7))
        first = await client.users.get(request_configuration=config)
        seen: list[str] = []

        def keep(user) -> bool:
            seen.append(user.user_principal_name)
            return True

        # The response's own type pages on (UserCollectionResponse).
        iterator = PageIterator(first, client.request_adapter)
        await iterator.iterate(keep)
        return seen

    seen = run(body())
    assert len(seen) == fixture_user_count("brittest")


def test_get_one_user(graph_token):
    from msgraph.generated.users.item.user_item_request_builder import UserItemRequestBuilder

    async def body():
        client = v1_client(graph_token)
        select = UserItemRequestBuilder.UserItemRequestBuilderGetQueryParameters(select=["id", "accountEnabled", "userPrincipalName"])
        return (await client.users.by_user_id(UPN).get(),
                await client.users.by_user_id(UPN).get(request_configuration=RequestConfiguration(query_parameters=select)))

    user, selected = run(body())
    # Without $select, Graph returns its default set, which leaves accountEnabled out.
    assert user.user_principal_name == UPN
    assert user.display_name == "Britton Manahan"
    assert user.given_name == "Britton" and user.surname == "Manahan"
    assert user.id and user.account_enabled is None
    assert selected.account_enabled is True
    assert selected.id == user.id and selected.display_name is None


def test_an_unknown_user_is_a_graph_404(graph_token):
    async def body():
        return await v1_client(graph_token).users.by_user_id("nobody@brittest.onmicrosoft.com").get()

    with pytest.raises(APIError) as caught:
        run(body())
    assert caught.value.response_status_code == 404
    assert caught.value.error.code == "Request_ResourceNotFound"


def test_a_failed_password_grant_shows_in_sign_ins(graph_token):
    victim = "adele@brittest.onmicrosoft.com"
    refused = password_grant(victim, "Winter2019!")
    assert refused.status_code == 400, refused.text[:500]
    assert refused.json()["error"] == "invalid_grant"
    assert refused.json()["error_codes"] == [50126]

    async def body():
        client = v1_client(graph_token)
        page = await client.audit_logs.sign_ins.get()
        records = list(page.value)
        while page.odata_next_link:
            page = await client.audit_logs.sign_ins.with_url(page.odata_next_link).get()
            records += page.value
        return records

    records = run(body())
    failures = [r for r in records if (r.user_principal_name or "").lower() == victim and r.status and r.status.error_code == 50126]
    assert failures, [(r.user_principal_name, r.status.error_code if r.status else None) for r in records]
    assert failures[0].app_id == "14d82eec-204b-4c2f-b7e8-296a70dab67e"
    assert failures[0].created_date_time is not None


def test_per_user_mfa_state_read_and_set_with_the_beta_sdk(graph_token):
    async def state() -> PerUserMfaState:
        requirements = await beta_client(graph_token).users.by_user_id(UPN).authentication.requirements.get()
        return requirements.per_user_mfa_state

    async def set_state(value: PerUserMfaState) -> None:
        await beta_client(graph_token).users.by_user_id(UPN).authentication.requirements.patch(
            StrongAuthenticationRequirements(per_user_mfa_state=value))

    assert run(state()) == PerUserMfaState.Disabled
    assert password_grant(UPN, PASSWORD).status_code == 200
    try:
        run(set_state(PerUserMfaState.Enforced))
        assert run(state()) == PerUserMfaState.Enforced
        refused = password_grant(UPN, PASSWORD)
        assert refused.status_code == 400, refused.text[:500]
        assert refused.json()["error_codes"] == [50076]
        assert refused.json()["error_description"].startswith("AADSTS50076")
    finally:
        run(set_state(PerUserMfaState.Disabled))
    assert run(state()) == PerUserMfaState.Disabled
    assert password_grant(UPN, PASSWORD).status_code == 200
