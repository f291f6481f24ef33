"""The harness's function, run in this process: fast enough for the tests of the operations
tooling, which need the failures the demo leaves, not awslambdaric's process."""

import logging
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Any

from {{ cookiecutter.package_name }}.handler import lambda_handler
from {{ cookiecutter.package_name }}.observability import logger

from local.context import LocalLambdaContext
from local.logs import put_lines
from local.resources import Resources
from local.runtime_api import FunctionSettings, Invocation, LocalFunction


class LineCollector(logging.Handler):
    """Keeps the lines the function logs, formatted as Powertools writes them."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(logger.registered_formatter.format(record))


@contextmanager
def environment(variables: dict[str, str]) -> Iterator[None]:
    saved = dict(os.environ)
    os.environ.update(variables)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


class InProcessFunction(LocalFunction):
    """The project's lambda_handler, called here; its log lines go to the log group on moto."""

    def __init__(
        self, settings: FunctionSettings, resources: Resources, log_group: str, log: IO[bytes]
    ) -> None:
        super().__init__(settings, log)
        self.logs = resources.client("logs")
        self.log_group = log_group

    def start(self) -> None:
        """Nothing to start: the handler is imported."""

    def stop(self) -> None:
        """Nothing to stop."""

    def invoke(self, event: dict[str, Any]) -> Invocation:
        invocation = Invocation(request_id=str(uuid.uuid4()), event=b"", deadline_ms=0)
        collector = LineCollector()
        powertools_logger = logging.getLogger(logger.name)
        powertools_logger.addHandler(collector)
        try:
            with environment(self.settings.environment):
                invocation.response = lambda_handler(event, LocalLambdaContext())
        except Exception as error:  # Lambda answers any error with an error response
            invocation.error = {"errorType": type(error).__name__, "errorMessage": str(error)}
        finally:
            powertools_logger.removeHandler(collector)
            put_lines(self.logs, self.log_group, collector.lines)
        invocation.answered.set()
        return invocation
