"""The OpenAPI document is served and names every /api/ route with its methods."""

import re


def test_the_openapi_document_is_served_without_login(client):
    r = client.get("/api/openapi.json")
    assert r.status_code == 200
    doc = r.get_json()
    assert doc["openapi"].startswith("3.")


def test_the_openapi_document_names_every_api_route_and_method(app, client):
    doc = client.get("/api/openapi.json").get_json()
    documented = {
        (path, method.upper()) for path, item in doc["paths"].items() for method in item if method != "parameters"
    }
    routes = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/"):
            continue
        path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule)
        routes |= {(path, m) for m in rule.methods - {"HEAD", "OPTIONS"}}
    assert routes - documented == set(), "routes missing from workshop/openapi.yaml"
    assert documented - routes == set(), "operations in workshop/openapi.yaml that the app does not have"
