"""schemathesis against the live server: every operation of /api/openapi.json with generated
requests (valid and invalid): no 5xx, and answers that fit the documented responses. Bounded by
tests/fuzzing.py (a handful of examples per operation; well under a minute in all)."""

import pytest
import requests
import schemathesis
from hypothesis import given, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance, status_code_conformance

from tests.conftest import LiveServer
from tests.fuzzing import FUZZ


@pytest.fixture(scope="module")
def api_server(tmp_path_factory):
    server = LiveServer(tmp_path_factory.mktemp("schemathesis"), {"WORKSHOP_RETENTION_DAYS": "90"})
    server.create_facilitator()
    server.start()
    yield server
    server.stop()


def test_the_live_api_keeps_its_documented_shape(api_server):
    # schemathesis's pytest plug-in does not run under pytest 9 yet; its Python API does: one
    # hypothesis run per operation of the document the server serves.
    schema = schemathesis.openapi.from_url(api_server.url + "/api/openapi.json")
    headers = api_server.token()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10
    calls = []
    for operation in operations:

        @settings(FUZZ, max_examples=min(FUZZ.max_examples, 15))
        @given(case=operation.as_strategy())
        def run(case):
            revoke = case.method.upper() == "DELETE" and case.path == "/api/token"
            # Revoking the token under test would turn the rest into 401s.
            response = case.call(headers={} if revoke else headers, timeout=10)
            calls.append(response.status_code)
            assert response.status_code < 500, (case.method, case.path, response.status_code, response.text[:200])
            case.validate_response(
                response, checks=[not_a_server_error, status_code_conformance, response_schema_conformance]
            )
            if response.status_code >= 400 and response.headers.get("Content-Type", "").startswith("application/json"):
                assert response.json()["error"]["code"]

        run()
    assert len(calls) >= 3 * len(operations)
    assert any(code < 300 for code in calls) and any(code >= 400 for code in calls)
    # The server answers an ordinary request at once afterwards.
    assert requests.get(api_server.url + "/healthz", timeout=2).status_code == 200
