"""Fuzzing settings and strategies, in one place (tests/integration/test_fuzz.py and
test_schemathesis.py). Bounded: a few seconds per test on the 2-core machine; FUZZ_EXAMPLES
raises the number of examples for a longer local run."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "40"))

FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=os.environ.get("CI", "").lower() == "true",  # CI: the same examples every run
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)

# The field names the app reads, so arbitrary JSON reaches past the first "missing field" check.
KEYS = [
    "code",
    "token",
    "name",
    "role",
    "dilemma",
    "option",
    "value",
    "text",
    "reason",
    "screen_token",
    "session",
    "command",
    "seconds",
    "email",
    "password",
    "deck",
    "title",
    "language",
    "show_names",
    "hidden",
    "min_answers",
    "ask_role",
    "follow_up",
    "route",
    "owner",
    "due",
    "values",
]

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=50)
    | st.sampled_from(["", "000000", "123456", "next", "a", "x" * 300, "\x00", "æøå", "<script>"])
)

json_values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=10), children, max_size=5)
    ),
    max_leaves=12,
)

payloads = json_values | st.dictionaries(st.sampled_from(KEYS), json_values, max_size=6)
