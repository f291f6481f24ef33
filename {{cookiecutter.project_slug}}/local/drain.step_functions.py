"""The drain state machine, played on this machine: its definition, as {{ facts.stack }} deploys it,
run by moto's Step Functions, each of its Poll tasks answered by the function under awslambdaric.

moto runs a state machine's states when its config says so, and a Lambda task calls moto's own
Invoke at localhost:$MOTO_PORT, which without Docker answers canned responses
(moto.awslambda_simple). For the length of a drain, that Invoke runs the local function instead,
so each round is the real function's run. moto's config, MOTO_PORT and Invoke belong to the whole
process (every moto server in it shares them): a drain sets them and puts back what it found.
"""

import copy
import json
import logging
import os
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from unittest.mock import patch
from urllib.parse import urlsplit

from moto.awslambda.exceptions import UnknownFunctionException
from moto.awslambda_simple.models import LambdaSimpleBackend
from moto.core.config import default_user_config

from .demo import Trace
from .resources import Resources
from .runtime_api import Invocation, LocalFunction
from .template import resource_name, state_machine_definition, substituted

# What moto needs to run a state machine's states, and to answer its Lambda tasks without Docker.
MOTO_CONFIG = {"stepfunctions": {"execute_state_machine": True}, "lambda": {"use_docker": False}}
# moto assumes no role: any role of the account will do.
ROLE_ARN = "arn:aws:iam::123456789012:role/drain"
POLL_SECONDS = 0.05

# moto's Invoke, as a drain answers it: given the function's name or ARN, the request's payload
# and the response's headers (x-amz-function-error marks a function error), the response's payload.
Invoke = Callable[[str, str | bytes, dict[str, str]], bytes]
# What the harness makes of one round: its number in the drain, and the function's answer.
RoundReport = Callable[[int, Invocation], None]


def moto_api(endpoint: str, path: str, body: dict[str, Any]) -> None:
    """POST to moto's own API (/moto-api/...)."""
    request = urllib.request.Request(  # noqa: S310 (moto on 127.0.0.1)
        f"{endpoint}{path}", data=json.dumps(body).encode(), method="POST"
    )
    with urllib.request.urlopen(request, timeout=10):  # noqa: S310
        pass


@contextmanager
def state_machines_run(endpoint: str) -> Iterator[None]:
    """moto runs state machines, its Lambda without Docker, until the block ends; then its config
    and MOTO_PORT are as they were (GET /moto-api/config leaves out "stepfunctions": the config
    is read where it is kept, in this process)."""
    config = copy.deepcopy(
        {
            "stepfunctions": default_user_config["stepfunctions"],
            "lambda": default_user_config["lambda"],
        }
    )
    port = os.environ.get("MOTO_PORT")
    moto_api(endpoint, "/moto-api/config", MOTO_CONFIG)
    os.environ["MOTO_PORT"] = str(urlsplit(endpoint).port)  # where moto's tasks call Lambda
    try:
        yield
    finally:
        moto_api(endpoint, "/moto-api/config", config)
        if port is None:
            os.environ.pop("MOTO_PORT", None)
        else:
            os.environ["MOTO_PORT"] = port


@contextmanager
def invoke_answered_by(invoke: Invoke) -> Iterator[None]:
    """moto's Docker-less Lambda Invoke answered by `invoke` until the block ends."""

    def answer(
        backend: LambdaSimpleBackend,
        function_name: str,
        qualifier: str | None,
        body: str | bytes,
        headers: object,
        response_headers: dict[str, str],
    ) -> bytes:
        return invoke(function_name, body, response_headers)

    with patch.object(LambdaSimpleBackend, "invoke", answer):
        yield


class Drain:
    """The state machine that invokes the function, on moto; started once per tick."""

    def __init__(self, resources: Resources, name: str, function: str, trace: Trace) -> None:
        self.resources = resources
        self.name = name
        self.function = function
        self.trace = trace
        self.definition, self.substitutions = state_machine_definition(resources.template, name)
        self.sfn = resources.client("stepfunctions")
        self.arn: str | None = None  # made at the first drain, when the function's ARN is known
        values = ", ".join(
            f"{key} -> {'the function' if self.names_function(value) else self.declared(value)}"
            for key, value in self.substitutions.items()
        )
        self.setup = f"{name}: its definition run by moto's Step Functions, {values}"
        # moto logs every failed execution's internals; the trace says it in a line.
        logging.getLogger("moto.stepfunctions").setLevel(logging.CRITICAL)

    def names_function(self, value: Any) -> bool:
        return resource_name(self.resources.template, value) == self.function

    def declared(self, value: Any) -> str:
        """A substitution's value as {{ facts.stack }} declares it (a parameter's default)."""
        return str(self.resources.resolve(value))

    def created(self, function: LocalFunction) -> str:
        """The state machine on moto, its substitutions resolved as on deploy: the function's
        ARN, and the other values (DrainMaxRounds' default) as declared."""
        if self.arn is None:
            values = {
                key: function.arn if self.names_function(value) else self.declared(value)
                for key, value in self.substitutions.items()
            }
            created = self.sfn.create_state_machine(
                name=f"{self.name}-{self.resources.suffix}",
                definition=substituted(self.definition, values),
                roleArn=ROLE_ARN,
                type=self.resources.properties(self.name).get("StateMachineType", "STANDARD"),
            )
            self.arn = str(created["stateMachineArn"])
        return self.arn

    def run(
        self, function: LocalFunction, number: int, event: dict[str, Any], report: RoundReport
    ) -> None:
        """One drain, started with the scheduler's event: until it ends, moto's Invoke runs the
        function, and each round is reported; then what the drain did is traced."""
        rounds = 0
        broken: list[Exception] = []

        def invoke(function_name: str, payload: str | bytes, headers: dict[str, str]) -> bytes:
            nonlocal rounds
            if function_name not in (function.arn, function.settings.name):
                raise UnknownFunctionException(function_name)  # as Lambda answers
            rounds += 1
            try:
                answer = function.invoke(json.loads(payload or "{}"))
            except Exception as error:  # the harness's (a handler that cannot load): raised below
                broken.append(error)
                headers["x-amz-function-error"] = "Unhandled"  # ends the drain, no retry
                return json.dumps({"errorType": type(error).__name__}).encode()
            report(rounds, answer)
            if answer.error is not None:
                headers["x-amz-function-error"] = "Unhandled"
                return json.dumps(answer.error).encode()
            return json.dumps(answer.response).encode()

        with state_machines_run(self.resources.endpoint), invoke_answered_by(invoke):
            execution = self.sfn.start_execution(
                stateMachineArn=self.created(function),
                name=f"tick-{number}",
                input=json.dumps(event),
            )
            ended = self.ended(execution["executionArn"])
        if broken:
            raise broken[0]
        self.report(number, ended)

    def ended(self, execution: str) -> dict[str, Any]:
        """The execution, described once it has ended (moto enforces its TimeoutSeconds)."""
        while True:
            described: dict[str, Any] = self.sfn.describe_execution(executionArn=execution)
            if described["status"] != "RUNNING":
                return described
            time.sleep(POLL_SECONDS)

    def report(self, number: int, described: dict[str, Any]) -> None:
        """Trace what the drain did, if anything: its output, or why it stopped."""
        status = described["status"]
        if status != "SUCCEEDED":
            why = f": {described['error']}" if described.get("error") else ""
            self.trace(f"drain {number} {status.lower()}{why}: what it received stays on the queue")
            return
        output = json.loads(described["output"])
        if not (output["received"] or output["more_available"]):
            return
        rounds = f"{output['rounds']} round{'s' if output['rounds'] != 1 else ''}"
        left = (
            "the round limit is reached, the next tick goes on"
            if output["more_available"]
            else "nothing left to receive"
        )
        self.trace(
            f"drain {number} succeeded after {rounds}: received {output['received']}, deleted "
            f"{output['deleted']}, failed {output['failed']}; {left}"
        )
