"""Shared fixtures, and the Powertools settings that template.yaml gives the function."""

import os

import pytest

from local.context import LocalLambdaContext

# Set before the package is imported: Powertools reads them when its objects are created.
os.environ.update(
    POWERTOOLS_SERVICE_NAME="{{ cookiecutter.project_slug }}",
    POWERTOOLS_METRICS_NAMESPACE="{{ cookiecutter.project_slug }}",
    POWERTOOLS_LOG_LEVEL="DEBUG",
    POWERTOOLS_TRACE_DISABLED="true",
    AWS_DEFAULT_REGION="{{ cookiecutter.aws_region }}",
)


@pytest.fixture
def lambda_context() -> LocalLambdaContext:
    return LocalLambdaContext()
