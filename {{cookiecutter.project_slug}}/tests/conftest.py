"""Shared fixtures, and the settings that {{ facts.stack }} gives the function."""

import os
from collections.abc import Iterator

{% if cookiecutter.idempotency -%}
import boto3
{% endif -%}
import pytest
from moto.server import ThreadedMotoServer

from local.context import LocalLambdaContext

# Set before the package is imported: Powertools reads them when its objects are created.
os.environ.update(
    POWERTOOLS_SERVICE_NAME="{{ cookiecutter.project_slug }}",
    POWERTOOLS_METRICS_NAMESPACE="{{ cookiecutter.project_slug }}",
    POWERTOOLS_LOG_LEVEL="DEBUG",
    POWERTOOLS_TRACE_DISABLED="true",
    AWS_DEFAULT_REGION="{{ cookiecutter.aws_region }}",
)
# Never real AWS: dummy credentials, and none of this machine's AWS configuration.
os.environ.update(
    AWS_ACCESS_KEY_ID="testing",
    AWS_SECRET_ACCESS_KEY="testing",  # noqa: S106 (moto accepts any)
    AWS_CONFIG_FILE=os.devnull,
    AWS_SHARED_CREDENTIALS_FILE=os.devnull,
)
os.environ.pop("AWS_PROFILE", None)
{%- if cookiecutter.idempotency %}
os.environ["IDEMPOTENCY_TABLE"] = "{{ cookiecutter.project_slug }}-idempotency"
{%- endif %}


@pytest.fixture
def lambda_context() -> LocalLambdaContext:
    return LocalLambdaContext()


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    """moto's AWS API on 127.0.0.1, on a free port, for this test session only."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    os.environ["AWS_ENDPOINT_URL"] = f"http://{host}:{port}"
    try:
        yield os.environ["AWS_ENDPOINT_URL"]
    finally:
        server.stop()
        os.environ.pop("AWS_ENDPOINT_URL", None)
{%- if cookiecutter.idempotency %}


@pytest.fixture(scope="session", autouse=True)
def idempotency_table(moto_endpoint: str) -> str:
    """The table Powertools Idempotency writes to, keyed as {{ facts.stack }} declares it."""
    name = os.environ["IDEMPOTENCY_TABLE"]
    boto3.client("dynamodb", endpoint_url=moto_endpoint).create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    return name
{%- endif %}
