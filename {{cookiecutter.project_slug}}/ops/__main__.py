"""`python -m ops <command>`: inspect and bring back the records the function failed.

The resources are found in the deployed stack (`--stack`, default {{ cookiecutter.project_slug }}),
or given by hand. AWS credentials and region come from the usual places (AWS_PROFILE, ...);
AWS_ENDPOINT_URL points every client elsewhere (moto, in the tests).
"""

import argparse
import os
import sys
from collections.abc import Callable
from types import ModuleType

import boto3
from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError

{% for command in facts.commands -%}
from . import {{ command }}
{% endfor -%}
from .failures import list_failures
from .reasons import Reasons
from .targets import OperationError, Targets, from_stack

STACK = "{{ cookiecutter.project_slug }}"
REGION = "{{ cookiecutter.aws_region }}"
# The commands that bring failed records back, beside `failures`: each module's NAME, HELP,
# add_arguments and command.
RECOVERIES: list[ModuleType] = [{{ facts.commands | join(", ") }}]


def parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--stack", default=STACK, help=f"the deployed stack (default {STACK})")
    common.add_argument(
        "--region",
        default=os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or REGION,
        help=f"its region (default AWS_REGION, or {REGION})",
    )
    common.add_argument("--dead-letter-queue", metavar="URL", help="the DLQ's URL, not the stack's")
    common.add_argument(
        "--log-group", metavar="NAME", help="the function's log group, not the stack's"
    )
    common.add_argument("--function", metavar="NAME", help="the function, not the stack's")
    main = argparse.ArgumentParser(prog="python -m ops", description=__doc__.splitlines()[0])
    commands = main.add_subparsers(dest="command", required=True)
    failures = commands.add_parser(
        "failures", parents=[common], help="list the DLQ's messages and why each failed"
    )
    failures.add_argument("--max", type=int, help="show at most this many")
    for recovery in RECOVERIES:
        recovery.add_arguments(
            commands.add_parser(recovery.NAME, parents=[common], help=recovery.HELP)
        )
    return main


def targets_of(arguments: argparse.Namespace, session: boto3.Session) -> Targets:
    """The stack's resources, or those given by hand (a DLQ given: the stack is not read)."""
    given = {
        "dead_letter_queue_url": arguments.dead_letter_queue,
        "log_group": arguments.log_group,
        "function_name": arguments.function,
    }
    if arguments.dead_letter_queue:
        return Targets(
            dead_letter_queue_url=arguments.dead_letter_queue, log_group=None, function_name=None
        ).given(**given)
    return from_stack(session.client("cloudformation"), arguments.stack).given(**given)


def run(arguments: argparse.Namespace, write: Callable[[str], None] = print) -> int:
    session = boto3.Session(region_name=arguments.region)
    targets = targets_of(arguments, session)
    sqs = session.client("sqs")
    reasons = Reasons(session.client("logs"), targets.log_group) if targets.log_group else None
    if arguments.command == "failures":
        list_failures(sqs, targets.dead_letter_queue_url, reasons, write, arguments.max)
        return 0
    for recovery in RECOVERIES:
        if arguments.command == recovery.NAME:
            return int(recovery.command(arguments, session, targets, write))
    raise OperationError(f"no command {arguments.command}")


def main(argv: list[str] | None = None, write: Callable[[str], None] = print) -> int:
    arguments = parser().parse_args(argv)
    try:
        return run(arguments, write)
    except OperationError as error:
        problem = str(error)
    except NoCredentialsError:
        problem = "no AWS credentials: set AWS_PROFILE, or run `aws configure` / `aws sso login`"
    except ClientError as error:
        details = error.response.get("Error", {})
        problem = f"{error.operation_name}: {details.get('Code')}: {details.get('Message')}"
    except BotoCoreError as error:
        problem = str(error)
    print(f"{parser().prog} {arguments.command}: {problem}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
