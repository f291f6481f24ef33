"""The drain state machine's own definition (statemachine/drain.asl.json), run by moto's Step
Functions against canned answers of the poller: the loop, its round limit, its retries and its
failures; and the definition agrees with {{ facts.stack }}.

moto runs it in this process, where its backends, its config and its Docker-less Lambda belong to
the whole process, whichever of its servers is asked. So this module uses the session's server (a
server of its own would share the same state), never resets moto (/moto-api/reset would empty
the queues and tables the session's other tests hold), and keeps to its own: a state machine per
test, its execution named, its canned answers all taken (what is left is dropped). moto's config
is set for the module and put back after it.
"""

import json
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import boto3
import pytest
from moto.awslambda.exceptions import LambdaClientError, UnknownFunctionException
from moto.awslambda_simple.models import LambdaSimpleBackend, lambda_simple_backends
from moto.stepfunctions.parser.asl.component.common.retry import (
    jitter_strategy_decl,
    retrier_decl,
)

from local.context import REGION
from local.drain import moto_api, state_machines_run
from local.template import (
    PLACEHOLDER,
    functions,
    load_template,
    schedules,
    state_machine_definition,
    state_machines,
    substituted,
)

DEFINITION = Path(__file__).parent.parent / "statemachine" / "drain.asl.json"
ACCOUNT = "123456789012"
POLLER_ARN = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:poller"
ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/drain"
SCHEDULE_UNITS = {"minute": 60, "hour": 3_600, "day": 86_400}
# Where moto queues what its Docker-less Lambda answers, one answer per invocation.
CANNED_ANSWERS = "/moto-api/static/lambda-simple/response"


class TooManyRequestsError(LambdaClientError):
    """Lambda's answer while the function's only instance (ReservedConcurrentExecutions: 1) is
    busy, as when two drains overlap."""

    code = 429

    def __init__(self) -> None:
        super().__init__("TooManyRequestsException", "Rate Exceeded.")


@dataclass
class Poller:
    """moto's Docker-less Lambda, as the drain's Poll task meets it: the payloads it got, and what
    the next invocations meet, in order, before the canned answers: an error of Lambda's API
    (raised), a function error (its payload), or None (the next canned answer)."""

    payloads: list[dict[str, Any]] = field(default_factory=list)
    failures: list[Exception | dict[str, str] | None] = field(default_factory=list)

    @property
    def canned(self) -> list[str]:
        """The canned answers no invocation has taken yet."""
        queue: list[str] = lambda_simple_backends[ACCOUNT][REGION].lambda_simple_results_queue
        return queue

    def answers(self, endpoint: str, *summaries: dict[str, Any]) -> None:
        """Queue the poller's answers, one per invocation, through moto's API."""
        results = [json.dumps(summary) for summary in summaries]
        moto_api(endpoint, CANNED_ANSWERS, {"results": results, "region": REGION})


@dataclass
class RetryWaits:
    """The waits of the Retry: each wait's longest (its backoff, before the jitter) and the wait
    itself, none of them slept."""

    longest: list[float] = field(default_factory=list)
    slept: list[float] = field(default_factory=list)

    def jitter(self, low: float, high: float) -> float:
        self.longest.append(high)
        return high  # the backoff itself: the jitter's upper bound


def summary(received: int, failed: int = 0, *, more_available: bool) -> dict[str, Any]:
    """What a run of the poller answers."""
    succeeded = received - failed
    return {
        "received": received,
        "succeeded": succeeded,
        "failed": failed,
        "deleted": succeeded,
        "more_available": more_available,
    }


@pytest.fixture(scope="module", autouse=True)
def moto_runs_state_machines(moto_endpoint: str) -> Iterator[None]:
    with state_machines_run(moto_endpoint):
        yield


@pytest.fixture(scope="module")
def sfn(moto_endpoint: str) -> Any:
    return boto3.client("stepfunctions", endpoint_url=moto_endpoint)


@pytest.fixture
def poller(monkeypatch: pytest.MonkeyPatch) -> Iterator[Poller]:
    poller = Poller()
    canned = LambdaSimpleBackend.invoke

    def invoke(
        backend: LambdaSimpleBackend,
        function_name: str,
        qualifier: str | None,
        body: str,
        headers: Any,
        response_headers: dict[str, str],
    ) -> str | bytes | None:
        poller.payloads.append(json.loads(body))
        failure = poller.failures.pop(0) if poller.failures else None
        if isinstance(failure, Exception):
            raise failure
        if failure is not None:
            response_headers["x-amz-function-error"] = "Unhandled"
            return json.dumps(failure).encode()
        return canned(backend, function_name, qualifier, body, headers, response_headers)

    monkeypatch.setattr(LambdaSimpleBackend, "invoke", invoke)
    yield poller
    poller.canned.clear()


@pytest.fixture
def retry_waits(monkeypatch: pytest.MonkeyPatch) -> RetryWaits:
    """The Retry's waits recorded and made instant (moto sleeps them in its worker thread)."""
    waits = RetryWaits()
    monkeypatch.setattr(retrier_decl, "time", SimpleNamespace(sleep=waits.slept.append))
    monkeypatch.setattr(jitter_strategy_decl, "random", SimpleNamespace(uniform=waits.jitter))
    return waits


def definition() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(DEFINITION.read_text(encoding="utf-8"))
    return loaded


def retrier() -> dict[str, Any]:
    """The Poll task's only Retry."""
    (retry,) = definition()["States"]["Poll"]["Retry"]
    return dict(retry)


def drain(sfn: Any, max_rounds: int = 10) -> dict[str, Any]:
    """Run the project's definition once, on a state machine of its own, to its end."""
    name = f"drain-{uuid.uuid4().hex[:8]}"
    values = {"PollerFunctionArn": POLLER_ARN, "MaxRounds": str(max_rounds)}
    machine = sfn.create_state_machine(
        name=name, definition=substituted(definition(), values), roleArn=ROLE_ARN
    )
    execution = sfn.start_execution(
        stateMachineArn=machine["stateMachineArn"], name="tick", input="{}"
    )
    while True:
        described: dict[str, Any] = sfn.describe_execution(executionArn=execution["executionArn"])
        if described["status"] != "RUNNING":
            return described


def test_drains_while_more_is_available_and_sums_the_rounds(
    sfn: Any, poller: Poller, moto_endpoint: str
) -> None:
    poller.answers(
        moto_endpoint,
        summary(10, 3, more_available=True),
        summary(10, 1, more_available=True),
        summary(4, more_available=False),
    )

    described = drain(sfn)

    assert described["status"] == "SUCCEEDED"
    assert json.loads(described["output"]) == {
        "rounds": 3,
        "received": 24,
        "succeeded": 20,
        "failed": 4,
        "deleted": 20,
        "more_available": False,
    }
    assert [payload["round"] for payload in poller.payloads] == [1, 2, 3]
    assert {payload["execution"] for payload in poller.payloads} == {"tick"}


def test_stops_at_the_round_limit_and_says_more_waits(
    sfn: Any, poller: Poller, moto_endpoint: str
) -> None:
    poller.answers(moto_endpoint, *[summary(10, more_available=True)] * 4)

    described = drain(sfn, max_rounds=3)

    assert described["status"] == "SUCCEEDED"
    output = json.loads(described["output"])
    assert (output["rounds"], output["received"], output["more_available"]) == (3, 30, True)
    assert len(poller.canned) == 1  # no fourth invocation


def test_a_throttle_is_retried_with_growing_jittered_backoff(
    sfn: Any, poller: Poller, retry_waits: RetryWaits, moto_endpoint: str
) -> None:
    poller.failures += [TooManyRequestsError(), TooManyRequestsError(), TooManyRequestsError()]
    poller.answers(moto_endpoint, summary(2, more_available=False))

    described = drain(sfn)

    assert described["status"] == "SUCCEEDED"
    assert json.loads(described["output"])["received"] == 2
    assert [payload["round"] for payload in poller.payloads] == [1, 1, 1, 1]  # the same round
    retry = retrier()
    interval, rate = retry["IntervalSeconds"], retry["BackoffRate"]
    assert retry_waits.longest == [interval, interval * rate, interval * rate**2]
    assert retry_waits.longest == sorted(set(retry_waits.longest))  # each wait longer
    assert retry_waits.slept == retry_waits.longest  # each wait drawn up to its backoff


def test_a_lasting_throttle_fails_the_drain_after_the_last_attempt(
    sfn: Any, poller: Poller, retry_waits: RetryWaits
) -> None:
    retry = retrier()
    attempts = retry["MaxAttempts"]
    poller.failures += [TooManyRequestsError() for _ in range(1 + attempts)]

    described = drain(sfn)

    assert described["status"] == "FAILED"
    assert described["error"] == "Lambda.TooManyRequestsException"
    assert len(poller.payloads) == 1 + attempts
    interval, rate, cap = retry["IntervalSeconds"], retry["BackoffRate"], retry["MaxDelaySeconds"]
    assert retry_waits.longest == [min(interval * rate**n, cap) for n in range(attempts)]


@pytest.mark.parametrize(
    ("failure", "error"),
    [
        pytest.param(
            UnknownFunctionException(POLLER_ARN),
            "Lambda.ResourceNotFoundException",
            id="function-not-found",
        ),
        pytest.param(
            {"errorType": "Sandbox.Timedout", "errorMessage": "Task timed out after 30.00 seconds"},
            "Sandbox.Timedout",
            id="function-error",
        ),
    ],
)
def test_any_other_error_fails_the_drain_at_once(
    sfn: Any,
    poller: Poller,
    retry_waits: RetryWaits,
    moto_endpoint: str,
    failure: Exception | dict[str, str],
    error: str,
) -> None:
    poller.answers(moto_endpoint, summary(10, more_available=True))
    poller.failures += [None, failure]  # the first round answers, the second fails

    described = drain(sfn)

    assert described["status"] == "FAILED"
    assert described["error"] == error
    assert len(poller.payloads) == 2
    assert retry_waits.slept == []


def test_the_definition_is_the_one_the_stack_deploys_with_a_value_for_each_placeholder() -> None:
    """The ${...} placeholders of the file are exactly the keys of the stack's
    DefinitionSubstitutions, so the definition and {{ facts.stack }} cannot drift apart."""
    template = load_template()
    (function,) = functions(template)
    (machine,) = state_machines(template, function)
    deployed, substitutions = state_machine_definition(template, machine)

    assert deployed == definition()
    assert set(PLACEHOLDER.findall(DEFINITION.read_text(encoding="utf-8"))) == set(substitutions)


def test_only_lambdas_transient_errors_are_retried() -> None:
    """A throttle (two drains overlapping on the function's only instance) or a fault of the
    Lambda service is worth another attempt; the function's own errors and timeouts are not: its
    round's messages come back after the visibility timeout."""
    retried = retrier()["ErrorEquals"]

    assert "Lambda.TooManyRequestsException" in retried
    assert all(error.startswith("Lambda.") for error in retried)
    assert not {"States.ALL", "States.TaskFailed", "States.Timeout"} & set(retried)


def test_a_drain_ends_before_the_next_tick() -> None:
    template = load_template()
    (function,) = functions(template)
    (schedule,) = schedules(template, function).values()
    rate = re.fullmatch(r"rate\((\d+) (minute|hour|day)s?\)", schedule["ScheduleExpression"])
    if rate is None:
        pytest.skip("a cron(...) schedule's gaps vary")

    interval = int(rate.group(1)) * SCHEDULE_UNITS[rate.group(2)]
    assert definition()["TimeoutSeconds"] <= interval
