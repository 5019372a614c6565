"""Schemathesis hooks for the CurePath API fuzz step (loaded through SCHEMATHESIS_HOOKS).

1. A custom check, `problem_json_for_client_errors`: every 4xx answer must be an RFC 9457
   problem document (`application/problem+json`) whose `status` equals the HTTP status and
   which has a `title`; a 400 or 422 must also name the offending field in `errors[0].field`.
   A 404 (no such case or patient) may come without a field.

2. Realistic values. Random identifiers and dates almost never name a demo case, center or
   stage, so every write would stop at "no such product" or "no such case" and the journey
   rules would go untested. When CUREPATH_FUZZ_API (the API's base URL) is set, the hooks
   read the demo network once and let Hypothesis draw, for each identifier, date or stage in
   a generated request, either the generated value or a real one (a recent date, a demo ID).
   The draw is Hypothesis's, so a run stays reproducible with --seed.

Run by Tests/Schemathesis/run (which scripts/test calls); see docs/TESTING.md.
"""

import datetime
import json
import os
import urllib.request

import schemathesis
from hypothesis import strategies as st

# Statuses where the client sent something we could read but not accept: the problem must
# say which field. 404, 405, 409 and 415 concern the resource, method or body as a whole.
FIELD_REQUIRED = {400, 422}


def _header(response, name):
    values = response.headers.get(name.lower()) or []
    return values[0] if values else ""


@schemathesis.check
def problem_json_for_client_errors(ctx, response, case):
    """4xx answers are problem+json with status and title; 400/422 name the field."""
    status = response.status_code
    if not 400 <= status < 500:
        return None
    content_type = _header(response, "content-type").split(";")[0].strip().lower()
    if content_type != "application/problem+json":
        raise AssertionError(f"{status} answered with Content-Type {content_type or '(none)'!r}, not application/problem+json")
    try:
        problem = json.loads(response.content)
    except ValueError as error:
        raise AssertionError(f"{status} problem body is not JSON: {error}") from None
    if not isinstance(problem, dict):
        raise AssertionError(f"{status} problem body is not a JSON object")
    if problem.get("status") != status:
        raise AssertionError(f"problem 'status' is {problem.get('status')!r}, but the HTTP status is {status}")
    if not isinstance(problem.get("title"), str) or not problem["title"]:
        raise AssertionError(f"{status} problem has no 'title'")
    if status in FIELD_REQUIRED:
        errors = problem.get("errors")
        field = errors[0].get("field") if isinstance(errors, list) and errors and isinstance(errors[0], dict) else None
        if not isinstance(field, str) or not field.strip():
            raise AssertionError(f"{status} problem does not name the field in errors[0].field: {json.dumps(problem)[:300]}")
    return True


# --- realistic values -------------------------------------------------------------------


def _get(base, path):
    request = urllib.request.Request(base.rstrip("/") + path)
    token = os.environ.get("CUREPATH_FUZZ_TOKEN")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


def _load_network(base):
    """The demo network's identifiers, stage keys and "today", read from the live API."""
    centers = [c["id"] for c in _get(base, "/centers")["items"]]
    payers = _get(base, "/payers")["items"]
    products = [p["id"] for p in _get(base, "/products")["items"]]
    stages = sorted({s["key"] for t in _get(base, "/journey-templates")["items"] for s in t["stages"]})
    cases = _get(base, "/cases?limit=40")["items"]
    details = [_get(base, f"/cases/{c['id']}") for c in cases[:8]]
    today = datetime.date.fromisoformat(details[0]["asOf"]) if details else datetime.date.today()
    return {
        "centers": centers,
        "payers": [p["id"] for p in payers],
        "plans": [plan["id"] for p in payers for plan in p["plans"]],
        "coverage": [(p["id"], plan["id"]) for p in payers for plan in p["plans"]],
        "products": products,
        "stages": stages,
        "cases": [c["id"] for c in cases],
        "patients": sorted({d["patientId"] for d in details}),
        "today": today,
    }


_API = os.environ.get("CUREPATH_FUZZ_API")
NETWORK = _load_network(_API) if _API else None


def _dates():
    """Calendar dates before the network's today: mostly recent (open cases were referred
    lately), sometimes up to 400 days back."""
    today = NETWORK["today"]
    back = st.one_of(st.integers(min_value=0, max_value=30), st.integers(min_value=0, max_value=400))
    return back.map(lambda n: (today - datetime.timedelta(days=n)).isoformat())


def _instants():
    """Whole-second UTC instants on those dates, as custody entries carry them."""
    return st.tuples(_dates(), st.integers(0, 86_399)).map(
        lambda t: f"{t[0]}T{t[1] // 3600:02d}:{t[1] // 60 % 60:02d}:{t[1] % 60:02d}Z"
    )


IDS = {
    "caseId": "cases", "patientId": "patients", "productId": "products", "centerId": "centers",
    "payerId": "payers", "planId": "plans", "center": "centers", "payer": "payers", "product": "products",
    "stage": "stages",
}


def _real(key, operation):
    """A strategy of realistic values for a request field or parameter, or None."""
    if key in IDS and NETWORK[IDS[key]]:
        return st.sampled_from(NETWORK[IDS[key]])
    if key in ("referralDate", "date", "start", "end", "referredFrom", "referredTo"):
        return _dates()
    if key == "occurredAt":
        return _instants()
    if key == "id" and operation is not None and operation.method.upper() == "POST" and operation.path == "/cases":
        # An existing case's ID: a retry (200) or a conflict (409).
        return st.sampled_from(NETWORK["cases"])
    return None


def _mix(context, values):
    """For each key with a realistic alternative, draw the generated value or a real one."""
    if not isinstance(values, dict) or NETWORK is None:
        return st.just(values)
    operation = getattr(context, "operation", None)
    choices = {}
    for key, value in values.items():
        real = _real(key, operation)
        choices[key] = st.one_of(st.just(value), real) if real is not None else st.just(value)
    strategy = st.fixed_dictionaries(choices)
    path = operation.path if operation is not None else ""
    if path.endswith("/events") and "stage" not in values:
        # Every kind but `lost` needs a stage, which Hypothesis, drawing optional keys, often leaves out.
        strategy = strategy.flatmap(lambda body: st.one_of(st.just(body), _real("stage", operation).map(lambda stage: {**body, "stage": stage})))
    if "payerId" in values and "planId" in values:
        # A plan of that payer, so coverage gets past "plan belongs to another payer".
        strategy = strategy.flatmap(
            lambda body: st.one_of(st.just(body), st.sampled_from(NETWORK["coverage"]).map(lambda pair: {**body, "payerId": pair[0], "planId": pair[1]}))
        )
    return strategy


@schemathesis.hook
def flatmap_path_parameters(context, path_parameters):
    return _mix(context, path_parameters)


@schemathesis.hook
def flatmap_query(context, query):
    return _mix(context, query)


@schemathesis.hook
def flatmap_body(context, body):
    return _mix(context, body)
