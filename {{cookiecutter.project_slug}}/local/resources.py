"""moto's AWS on 127.0.0.1, holding the resources {{ facts.stack }} declares, with their settings.

The resources of the kinds moto holds (Resources.makers: a maker for each kind this
{{ facts.stack }} declares) are made as declared, named by their logical ids and a suffix of the
run's (moto keeps its state for the life of the process: a test may run this more than once).
Not simulated: encryption (KMS), IAM (moto does not enforce it) and alarms. `!Ref` and
`!GetAtt` of the resources made resolve to their local URLs, names and ARNs, so the function
gets the environment {{ facts.stack }} gives it.
"""

import json
import logging
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, cast

import boto3
from moto.server import ThreadedMotoServer

from .template import functions, reference, resource_name
from ops.queues import look

if TYPE_CHECKING:
    from mypy_boto3_sqs import SQSClient
    from mypy_boto3_sqs.literals import QueueAttributeNameType

# Never real AWS: moto accepts any credentials.
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
# Makes one resource on moto: its logical id, its properties, the local visibility timeout.
Maker = Callable[[str, dict[str, Any], int], None]


@contextmanager
def moto_server() -> Iterator[str]:
    """moto's server on 127.0.0.1, on a free port, until the block ends; its endpoint."""
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no line per request
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        yield f"http://{host}:{port}"
    finally:
        server.stop()


class Resources:
    """The template's resources on moto, and what their `!Ref` and `!GetAtt` resolve to."""

    def __init__(self, template: dict[str, Any], endpoint: str, region: str) -> None:
        self.template = template
        self.endpoint = endpoint
        self.region = region
        # "SourceQueue" (what !Ref gives) and "SourceQueue.Arn" (what !GetAtt gives).
        self.values: dict[str, str] = {}
        self.suffix = uuid.uuid4().hex[:8]
        # The maker of each kind of resource {{ facts.stack }} declares that moto holds.
        self.makers: dict[str, Maker] = {
{%- for kind, maker in facts.moto_makers.items() %}
            "{{ kind }}": self.make_{{ maker }},
{%- endfor %}
        }

    def client(self, service: str) -> Any:
        return boto3.client(
            service,  # type: ignore[call-overload]
            endpoint_url=self.endpoint,
            region_name=self.region,
            aws_access_key_id=CREDENTIALS["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
        )

    def session(self) -> boto3.Session:
        """A session whose clients reach moto (the operations tooling makes its own clients)."""
        return boto3.Session(
            region_name=self.region,
            aws_access_key_id=CREDENTIALS["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
        )

    def sqs(self) -> "SQSClient":
        client: SQSClient = self.client("sqs")
        return client

    def properties(self, name: str) -> dict[str, Any]:
        properties: dict[str, Any] = self.template["Resources"][name].get("Properties", {})
        return properties

    def resolve(self, value: Any) -> Any:
        """A property's value with !Ref / !GetAtt of local resources and parameters resolved."""
        named = reference(value)
        if named is None:
            if isinstance(value, dict):
                return {key: self.resolve(item) for key, item in value.items()}
            if isinstance(value, list):
                return [self.resolve(item) for item in value]
            return value
        if named in self.values:
            return self.values[named]
        parameter = self.template.get("Parameters", {}).get(named)
        if parameter is not None and "Default" in parameter:
            return parameter["Default"]
        raise LookupError(f"{named} is not made locally (only {', '.join(self.makers)})")

    def create(self, visibility_timeout: int) -> list[str]:
        """Make every resource of a kind moto holds, those another refers to first; the
        visibility timeout of the queues is the local one. Their logical ids, in order."""
        resources = self.template["Resources"]
        waiting = [name for name, resource in resources.items() if resource["Type"] in self.makers]
        made: list[str] = []
        while waiting:
            ready = [name for name in waiting if not (self.refers_to(name) & set(waiting))]
            if not ready:
                raise ValueError(f"circular references between {', '.join(waiting)}")
            for name in ready:
                make = self.makers[resources[name]["Type"]]
                make(name, self.properties(name), visibility_timeout)
                made.append(name)
                waiting.remove(name)
        return made

    def refers_to(self, name: str) -> set[str]:
        """The resources the properties of this one name."""
        found: set[str] = set()

        def visit(value: Any) -> None:
            named = resource_name(self.template, value)
            if named is not None:
                found.add(named)
            elif isinstance(value, dict):
                for item in value.values():
                    visit(item)
            elif isinstance(value, list):
                for item in value:
                    visit(item)

        visit(self.properties(name))
        return found
{% for maker in facts.moto_makers.values() %}
{% include "shared/moto/" ~ maker ~ ".py" %}
{%- endfor %}
    def function_environment(self, function: str) -> dict[str, str]:
        """The variables {{ facts.stack }} gives the function, resolved to the local resources, and
        what the function's AWS clients need to reach moto."""
        declared = functions(self.template)[function].get("Environment", {})
        variables: dict[str, Any] = declared.get("Variables", {})
        return {
            **{name: str(self.resolve(value)) for name, value in variables.items()},
            **CREDENTIALS,
            "AWS_ENDPOINT_URL": self.endpoint,
        }


def queue_messages(sqs: "SQSClient", url: str) -> list[dict[str, Any]]:
    """Every message a queue holds, each received and made visible again: `make failures`' look
    (which adds one to their receive count)."""
    return [message.message for message in look(sqs, url)]
