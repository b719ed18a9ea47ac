"""The JSON API fuzzed from its own OpenAPI document, against a real running server.

A uvicorn server on loopback serves the app over a store filled with the web
fixture; schemathesis reads the schema from the served ``/openapi.json`` and
generates requests for every operation in it, both valid ones (positive) and
ones that break the schema (negative). Every response goes through each check
on its own, so the figures say which check failed how often:

- not_a_server_error: never a 5xx;
- status_code_conformance: the status is one the operation documents;
- content_type_conformance: the content type is the documented one;
- response_schema_conformance: the body matches the documented schema;
- response_headers_conformance: documented headers are there and well-formed;
- negative_data_rejection: a request that breaks the schema gets a 4xx.

The HTML pages are not in the schema (``include_in_schema=False``): the
schema documents the API only. Generation is derandomised, so a failure
found here is found again on the next run. The figures are written to
``artifacts/hardening/api_fuzz.json``.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import requests
import schemathesis
from fastapi.routing import iter_route_contexts
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from paperwire.store import SQLiteStore
from web_helpers import PASSWORD, REPO_ROOT, csrf_of, fill_store, make_app, running_server

ARTIFACT = REPO_ROOT / "artifacts" / "hardening" / "api_fuzz.json"

# Requests per operation and generation mode: well over 1,000 in all (a path parameter
# that takes any string has no negative cases).
EXAMPLES = {GenerationMode.POSITIVE: 200, GenerationMode.NEGATIVE: 150}
MIN_REQUESTS = 1_000

CHECKS: dict[str, Callable[..., Any]] = {
    "not_a_server_error": not_a_server_error,
    "status_code_conformance": status_code_conformance,
    "content_type_conformance": content_type_conformance,
    "response_schema_conformance": response_schema_conformance,
    "response_headers_conformance": response_headers_conformance,
    "negative_data_rejection": negative_data_rejection,
}


@dataclass
class Tally:
    requests: int = 0
    by_operation: Counter[str] = field(default_factory=Counter)
    by_mode: Counter[str] = field(default_factory=Counter)
    by_status: Counter[str] = field(default_factory=Counter)
    passed: Counter[str] = field(default_factory=Counter)
    failed: Counter[str] = field(default_factory=Counter)
    examples: list[dict[str, Any]] = field(default_factory=list)
    impossible: list[str] = field(default_factory=list)

    def failures(self) -> int:
        return sum(self.failed.values())

    def as_json(self, operations: list[str]) -> dict[str, Any]:
        return {
            "operations": operations,
            "requests": self.requests,
            "failures": self.failures(),
            "by_operation": dict(self.by_operation),
            "by_mode": dict(self.by_mode),
            "by_status": dict(sorted(self.by_status.items())),
            "checks": {
                name: {"passed": self.passed[name], "failed": self.failed[name]} for name in CHECKS
            },
            "no_cases_possible": self.impossible,
            "failure_examples": self.examples[:20],
        }


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("api-fuzz")
    store = SQLiteStore(root / "paperwire.db")
    fill_store(store)
    # Fuzzed comments by the hundred from one account: the hourly limit (its own tests
    # are in test_web_security.py) would answer all but the first ten with 429.
    limit = os.environ.get("PAPERWIRE_COMMENTS_PER_HOUR")
    os.environ["PAPERWIRE_COMMENTS_PER_HOUR"] = "0"
    try:
        with running_server(make_app(store, root / "indexes")) as base_url:
            yield base_url
    finally:
        store.close()
        if limit is None:
            os.environ.pop("PAPERWIRE_COMMENTS_PER_HOUR", None)
        else:
            os.environ["PAPERWIRE_COMMENTS_PER_HOUR"] = limit


def _check_one(tally: Tally, case: schemathesis.Case, response: Any, label: str) -> None:
    for name, check in CHECKS.items():
        try:
            case.validate_response(response, checks=[check])
        except FailureGroup as group:  # a failed check: counted, reported at the end
            tally.failed[name] += 1
            tally.examples.append(
                {
                    "check": name,
                    "operation": label,
                    "status": response.status_code,
                    "request": response.request.url,
                    "body": str(response.request.body)[:120],
                    "message": " / ".join(str(f).strip().splitlines()[0] for f in group.exceptions)[
                        :300
                    ],
                }
            )
        else:
            tally.passed[name] += 1


def _first_line(failure: Exception) -> str:
    return str(failure).strip().splitlines()[0]


def _fuzz(
    tally: Tally,
    operation: schemathesis.APIOperation,
    mode: GenerationMode,
    base_url: str,
    session: requests.Session | None = None,
    paper_id: str | None = None,
) -> None:
    session = session or requests.Session()

    @settings(
        max_examples=EXAMPLES[mode],
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case: schemathesis.Case) -> None:
        if paper_id is not None:  # a paper the store holds: the body is what varies
            case.path_parameters = {**(case.path_parameters or {}), "paper_id": paper_id}
        response = case.call(base_url=base_url, session=session, timeout=30)
        tally.requests += 1
        tally.by_operation[operation.label] += 1
        tally.by_mode[mode.value] += 1
        tally.by_status[str(response.status_code)] += 1
        _check_one(tally, case, response, operation.label)

    try:
        run()
    except Unsatisfiable:
        # No request can break this operation's schema this way (a path parameter that
        # takes any string has no invalid string): nothing to send.
        tally.impossible.append(f"{operation.label} ({mode.value})")
    finally:
        session.close()


def test_the_api_survives_fuzzing_and_keeps_to_its_schema(served: str) -> None:
    schema = schemathesis.openapi.from_url(f"{served}/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    labels = [operation.label for operation in operations]
    assert len(labels) >= 4, labels
    tally = Tally()
    try:
        for operation in operations:
            for mode in EXAMPLES:
                _fuzz(tally, operation, mode, served)
    finally:
        ARTIFACT.parent.mkdir(parents=True, exist_ok=True)
        ARTIFACT.write_text(json.dumps(tally.as_json(labels), indent=2) + "\n", encoding="utf-8")
    assert tally.requests >= MIN_REQUESTS
    assert set(tally.by_operation) == set(labels)
    assert tally.failures() == 0, json.dumps(tally.examples[:10], indent=2)


def _logged_in(base_url: str) -> requests.Session:
    """A session of a new account on the served site, its CSRF token in every request."""
    session = requests.Session()
    token = csrf_of(session.get(f"{base_url}/register", timeout=30).text)
    form = {"username": "fuzzer", "password": PASSWORD, "confirm": PASSWORD, "csrf_token": token}
    answer = session.post(f"{base_url}/register", data=form, timeout=30, allow_redirects=False)
    assert answer.status_code == 303, answer.text[:300]
    session.headers["X-CSRF-Token"] = csrf_of(session.get(f"{base_url}/library", timeout=30).text)
    return session


def test_posting_comments_survives_fuzzing_with_a_session(served: str) -> None:
    """The comment POST again, logged in with the right CSRF token, so the bodies reach the
    use case (the hourly limit is off in this server: see ``served``)."""
    schema = schemathesis.openapi.from_url(f"{served}/openapi.json")
    [operation] = [
        result.ok()
        for result in schema.get_all_operations()
        if result.ok().label == "POST /api/papers/{paper_id}/comments"
    ]
    tally = Tally()
    session = _logged_in(served)
    for mode in EXAMPLES:
        _fuzz(tally, operation, mode, served, session, paper_id="2611.00001")
    assert tally.by_status["201"] > 0 and tally.by_status["400"] > 0, tally.by_status
    assert tally.failures() == 0, json.dumps(tally.examples[:10], indent=2)


def test_every_api_route_is_in_the_fuzzed_schema(served: str, store: SQLiteStore) -> None:
    """A new API route missing from the schema would never be fuzzed: this fails first."""
    app = make_app(store, None)
    api_routes = {
        (method, str(route.path_format))
        for route in iter_route_contexts(app.routes)
        if str(route.path).startswith("/api/")
        for method in route.methods or ()
    }
    paths = requests.get(f"{served}/openapi.json", timeout=30).json()["paths"]
    documented = {(method.upper(), path) for path, ops in paths.items() for method in ops}
    assert api_routes, "the app has no API routes"
    assert api_routes == documented
    for operations in paths.values():
        for operation in operations.values():
            assert "422" not in operation["responses"]  # bad parameters are 400s here
            assert {"200", "201"} & set(operation["responses"]), operation
            assert "400" in operation["responses"]
