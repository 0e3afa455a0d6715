"""``/readyz`` probes the model endpoint the way the engine reaches it.

Base URLs may carry credentials (``http://user:pw@host/v1``) or a query (``?api-version=...``,
as Azure-style gateways want); the engine works with both, so readiness must not call such an
endpoint unreachable, nor show the credentials in its verdict.
"""

from __future__ import annotations

from service_helpers import ServiceFactory, model_settings

from summarizer.testing import ScriptedOpenAIServer


def test_a_base_url_with_credentials_is_probed_and_they_are_not_shown(
    service_factory: ServiceFactory, openai_server: ScriptedOpenAIServer
) -> None:
    with_credentials = openai_server.base_url.replace("http://", "http://probe:pr0be-secret@")
    service = service_factory(engines=model_settings(with_credentials))

    ready = service.request("GET", "/readyz")

    assert (ready.status, ready.json()["checks"]["model"]) == (200, "ok"), ready.body
    assert "pr0be-secret" not in ready.body.decode()
    assert [request.path for request in openai_server.requests] == ["/v1/models"]


def test_a_base_url_with_a_query_is_probed_at_its_models_path(
    service_factory: ServiceFactory, openai_server: ScriptedOpenAIServer
) -> None:
    service = service_factory(engines=model_settings(openai_server.base_url + "?api-version=2"))

    ready = service.request("GET", "/readyz")

    assert (ready.status, ready.json()["checks"]["model"]) == (200, "ok"), ready.body
    probe = openai_server.requests[-1]
    assert (probe.path, probe.query) == ("/v1/models", {"api-version": "2"})
