"""Schemathesis fuzzes every operation in /openapi.json: no 5xx, every answer fits its schema."""

from typing import Any

from hypothesis import HealthCheck, settings
from schemathesis import Case, openapi
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from webapp.main import app

schema = openapi.from_asgi("/openapi.json", app)


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,  # the same examples every run, so a CI failure reproduces
    suppress_health_check=list(HealthCheck),
)
def test_api_survives_fuzzing(case: Case[Any]) -> None:
    case.call_and_validate(
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
        ]
    )
