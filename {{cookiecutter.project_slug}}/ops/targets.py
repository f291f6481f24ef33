"""The deployed resources the commands work on, found by their logical ids in the stack.

{{ facts.stack | capitalize }} names them; CloudFormation gives their physical ids
(DescribeStackResources). Each can be given by hand instead (`--dead-letter-queue` ...), for a
stack deployed under other ids, or for moto.
"""

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from botocore.exceptions import ClientError

if TYPE_CHECKING:
    from mypy_boto3_cloudformation import CloudFormationClient

# The logical ids, as {{ facts.stack }} declares them.
DEAD_LETTER_QUEUE = "DeadLetterQueue"
SOURCE_QUEUE = "SourceQueue"
FUNCTION = "ProcessorFunction"
LOG_GROUP = "ProcessorLogGroup"


class OperationError(Exception):
    """A problem the command reports in one line, and exits on."""


@dataclass(frozen=True)
class Targets:
    """Where the failures are: the DLQ (or on-failure destination), and what they came from."""

    dead_letter_queue_url: str
    log_group: str | None
    function_name: str | None
    source_queue_url: str | None = None

    def given(self, **overrides: str | None) -> "Targets":
        """These targets with the ones given by hand instead."""
        return replace(self, **{name: value for name, value in overrides.items() if value})


def from_stack(cloudformation: "CloudFormationClient", stack: str) -> Targets:
    """The targets of a deployed stack."""
    try:
        resources = cloudformation.describe_stack_resources(StackName=stack)["StackResources"]
    except ClientError as error:
        raise OperationError(
            f"stack {stack!r}: {error.response['Error'].get('Message', error)} "
            "(deploy it first, or name it with --stack)"
        ) from error
    physical = {
        resource["LogicalResourceId"]: resource.get("PhysicalResourceId", "")
        for resource in resources
    }
    if DEAD_LETTER_QUEUE not in physical:
        raise OperationError(f"stack {stack!r} has no {DEAD_LETTER_QUEUE}: is it this project's?")
    return Targets(
        dead_letter_queue_url=physical[DEAD_LETTER_QUEUE],
        log_group=physical.get(LOG_GROUP),
        function_name=physical.get(FUNCTION),
        source_queue_url=physical.get(SOURCE_QUEUE),
    )
