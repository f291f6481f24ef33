"""moto's AWS on 127.0.0.1, holding the resources template.yaml declares, with their settings.

Queues (and their redrive policy), topics and subscriptions, tables (and their streams) and
Kinesis streams are made as declared, named by their logical ids and a suffix of the run's
(moto keeps its state for the life of the process: a test may run this more than once). Not simulated: encryption
(KMS), IAM (moto does not enforce it), logs and alarms. `!Ref` and `!GetAtt` of the resources
made resolve to their local URLs, names and ARNs, so the function gets the environment
template.yaml gives it.
"""

import json
import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, cast

import boto3
from moto.server import ThreadedMotoServer

from .template import functions, reference, resource_name

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_kinesis import KinesisClient
    from mypy_boto3_sqs import SQSClient
    from mypy_boto3_sqs.literals import QueueAttributeNameType

# Never real AWS: moto accepts any credentials.
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
MADE_HERE = (
    "AWS::SQS::Queue",
    "AWS::SNS::Topic",
    "AWS::SNS::Subscription",
    "AWS::DynamoDB::Table",
    "AWS::Kinesis::Stream",
)


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

    def client(self, service: str) -> Any:
        return boto3.client(
            service,  # type: ignore[call-overload]
            endpoint_url=self.endpoint,
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
        raise LookupError(f"{named} is not made locally (only {', '.join(MADE_HERE)})")

    def create(self, visibility_timeout: int) -> list[str]:
        """Make every resource of a kind moto holds, those another refers to first; the
        visibility timeout of the queues is the local one. Their logical ids, in order."""
        resources = self.template["Resources"]
        waiting = [name for name, resource in resources.items() if resource["Type"] in MADE_HERE]
        made: list[str] = []
        while waiting:
            ready = [name for name in waiting if not (self.refers_to(name) & set(waiting))]
            if not ready:
                raise ValueError(f"circular references between {', '.join(waiting)}")
            for name in ready:
                make = getattr(self, "make_" + resources[name]["Type"].split("::")[-1].lower())
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

    def make_queue(self, name: str, properties: dict[str, Any], visibility_timeout: int) -> None:
        fifo = str(self.resolve(properties.get("FifoQueue", False))).lower() == "true"
        attributes: dict[str, str] = {
            setting: str(self.resolve(properties[setting])).lower()
            for setting in ("FifoQueue", "ContentBasedDeduplication")
            if setting in properties
        }
        for setting in ("MessageRetentionPeriod", "DelaySeconds", "ReceiveMessageWaitTimeSeconds"):
            if setting in properties:
                attributes[setting] = str(properties[setting])
        if "VisibilityTimeout" in properties:
            attributes["VisibilityTimeout"] = str(visibility_timeout)
        if "RedrivePolicy" in properties:
            attributes["RedrivePolicy"] = json.dumps(self.resolve(properties["RedrivePolicy"]))
        sqs = self.sqs()
        url = sqs.create_queue(
            QueueName=f"{name}-{self.suffix}" + (".fifo" if fifo else ""),
            Attributes=cast("dict[QueueAttributeNameType, str]", attributes),
        )["QueueUrl"]
        found = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]
        self.values |= {
            name: url,
            f"{name}.Arn": found["QueueArn"],
            f"{name}.QueueName": url.rsplit("/", 1)[-1],
            f"{name}.QueueUrl": url,
        }

    def make_topic(self, name: str, properties: dict[str, Any], _timeout: int) -> None:
        topic = f"{name}-{self.suffix}"
        arn = self.client("sns").create_topic(Name=topic)["TopicArn"]
        self.values |= {name: arn, f"{name}.TopicArn": arn, f"{name}.TopicName": topic}

    def make_subscription(self, name: str, properties: dict[str, Any], _timeout: int) -> None:
        attributes = {
            setting: str(properties[setting]).lower()
            for setting in ("RawMessageDelivery",)
            if setting in properties
        }
        arn = self.client("sns").subscribe(
            TopicArn=self.resolve(properties["TopicArn"]),
            Protocol=properties["Protocol"],
            Endpoint=self.resolve(properties["Endpoint"]),
            Attributes=attributes,
            ReturnSubscriptionArn=True,
        )["SubscriptionArn"]
        self.values[name] = arn

    def make_table(self, name: str, properties: dict[str, Any], _timeout: int) -> None:
        dynamodb: DynamoDBClient = self.client("dynamodb")
        stream = properties.get("StreamSpecification")
        settings: dict[str, Any] = {
            "TableName": f"{name}-{self.suffix}",
            "KeySchema": properties["KeySchema"],
            "AttributeDefinitions": properties["AttributeDefinitions"],
            "BillingMode": properties.get("BillingMode", "PAY_PER_REQUEST"),
        }
        if "ProvisionedThroughput" in properties:
            settings["ProvisionedThroughput"] = properties["ProvisionedThroughput"]
        if stream:
            settings["StreamSpecification"] = {
                "StreamEnabled": True,
                "StreamViewType": stream["StreamViewType"],
            }
        table = dynamodb.create_table(**settings)["TableDescription"]
        self.values |= {name: table["TableName"], f"{name}.Arn": table["TableArn"]}
        if stream:
            self.values[f"{name}.StreamArn"] = table["LatestStreamArn"]

    def make_stream(self, name: str, properties: dict[str, Any], _timeout: int) -> None:
        kinesis: KinesisClient = self.client("kinesis")
        stream = f"{name}-{self.suffix}"
        mode = properties.get("StreamModeDetails", {}).get("StreamMode", "PROVISIONED")
        if mode == "ON_DEMAND":
            kinesis.create_stream(StreamName=stream, StreamModeDetails={"StreamMode": mode})
        else:
            shards = int(properties.get("ShardCount", 1))
            kinesis.create_stream(StreamName=stream, ShardCount=shards)
        summary = kinesis.describe_stream_summary(StreamName=stream)["StreamDescriptionSummary"]
        self.values |= {name: stream, f"{name}.Arn": summary["StreamARN"]}

    def function_environment(self, function: str) -> dict[str, str]:
        """The variables template.yaml gives the function, resolved to the local resources, and
        what the function's AWS clients need to reach moto."""
        global_settings = self.template.get("Globals", {}).get("Function", {})
        variables = {
            **global_settings.get("Environment", {}).get("Variables", {}),
            **functions(self.template)[function].get("Environment", {}).get("Variables", {}),
        }
        return {
            **{name: str(self.resolve(value)) for name, value in variables.items()},
            **CREDENTIALS,
            "AWS_ENDPOINT_URL": self.endpoint,
        }


def queue_messages(sqs: "SQSClient", url: str) -> list[dict[str, Any]]:
    """Every message a queue holds, read and made visible again (a look, not a receive that
    counts: each look adds one to the messages' receive count)."""
    seen: dict[str, dict[str, Any]] = {}
    while True:
        received = sqs.receive_message(
            QueueUrl=url,
            MaxNumberOfMessages=10,
            VisibilityTimeout=30,
            MessageSystemAttributeNames=["All"],
        ).get("Messages", [])
        if not received:
            break
        seen |= {message["MessageId"]: dict(message) for message in received}
    for message in seen.values():
        sqs.change_message_visibility(
            QueueUrl=url, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=0
        )
    return list(seen.values())


def messages_in(sqs: "SQSClient", url: str) -> int:
    """How many messages a queue holds: visible, in flight and delayed."""
    attributes = sqs.get_queue_attributes(
        QueueUrl=url,
        AttributeNames=[
            "ApproximateNumberOfMessages",
            "ApproximateNumberOfMessagesNotVisible",
            "ApproximateNumberOfMessagesDelayed",
        ],
    )["Attributes"]
    return sum(int(count) for count in attributes.values())
