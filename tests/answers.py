"""Answers for the hook tests: a valid set, and a table of bad ones with the error each gets."""

from __future__ import annotations

from typing import Any

import pytest

from template_facts import SOURCES

VALID_ANSWERS: dict[str, Any] = {
    "project_name": "Order Events",
    "project_slug": "order-events",
    "package_name": "order_events",
    "description": "Processes order events with partial batch failure.",
    "author_name": "Your Name",
    "event_source": "sqs",
    "invocation": "event_source_mapping",
    "batch_style": "decorator",
    "on_first_failure": "stop",
    "concurrency": "sequential",
    "validation": "pydantic",
    "idempotency": False,
    "idempotency_key": "order_id",
    "iac": "sam",
    "python_runtime": "3.13",
    "architecture": "arm64",
    "batch_size": "10",
    "schedule_expression": "rate(5 minutes)",
    "scheduler": "eventbridge",
    "aws_region": "eu-west-1",
    "tracing": False,
}

# (answers that differ from VALID_ANSWERS, the text the one-line error must contain)
BAD_ANSWERS = [
    pytest.param({"project_name": "  "}, "project_name must not be empty", id="blank-name"),
    pytest.param({"project_name": "Two\nlines"}, "single line", id="name-with-newline"),
    pytest.param({"project_name": "x" * 201}, "limit is 200", id="name-too-long"),
    pytest.param({"description": "tab\tinside"}, "description must be a single line", id="description-control-char"),
    pytest.param({"project_slug": "Order-Events"}, "project_slug 'Order-Events' is not valid", id="slug-uppercase"),
    pytest.param({"project_slug": "1-orders"}, "project_slug '1-orders' is not valid", id="slug-leading-digit"),
    pytest.param({"project_slug": "orders--x"}, "project_slug 'orders--x' is not valid", id="slug-double-hyphen"),
    pytest.param({"project_slug": "orders!"}, "project_slug 'orders!' is not valid", id="slug-punctuation"),
    pytest.param({"project_slug": "o" * 41}, "project_slug is 41 characters long", id="slug-too-long"),
    pytest.param({"package_name": "order-events"}, "not a valid Python identifier", id="package-hyphen"),
    pytest.param({"package_name": "9lives"}, "not a valid Python identifier", id="package-leading-digit"),
    pytest.param({"package_name": "Orders"}, "not a valid Python identifier", id="package-uppercase"),
    pytest.param({"package_name": "class"}, "'class' is a Python keyword", id="package-keyword"),
    pytest.param({"package_name": "match"}, "'match' is a Python keyword", id="package-soft-keyword"),
    pytest.param({"package_name": "json"}, "shadow the standard library module 'json'", id="package-json"),
    pytest.param({"package_name": "logging"}, "shadow the standard library module 'logging'", id="package-logging"),
    pytest.param({"package_name": "typing"}, "shadow the standard library module 'typing'", id="package-typing"),
    pytest.param({"package_name": "boto3"}, "shadow the dependency 'boto3'", id="package-boto3"),
    pytest.param(
        {"package_name": "aws_lambda_powertools"},
        "shadow the dependency 'aws_lambda_powertools'",
        id="package-powertools",
    ),
    pytest.param({"package_name": "pydantic"}, "shadow the dependency 'pydantic'", id="package-pydantic"),
    pytest.param({"package_name": "tests"}, "shadow the dependency 'tests'", id="package-tests"),
    pytest.param({"package_name": "p" * 41}, "package_name is 41 characters long", id="package-too-long"),
    pytest.param({"batch_size": "0"}, "batch_size 0 is out of range for sqs: allowed 1 to 10000", id="batch-size-zero"),
    pytest.param({"batch_size": "10001"}, "batch_size 10001 is out of range for sqs", id="batch-size-over-sqs-limit"),
    pytest.param(
        {"event_source": "sqs_fifo", "batch_size": "11"},
        "batch_size 11 is out of range for sqs_fifo: allowed 1 to 10",
        id="batch-size-over-fifo-limit",
    ),
    pytest.param(
        {"event_source": "kinesis", "batch_size": "10001"},
        "batch_size 10001 is out of range for kinesis: allowed 1 to 10000",
        id="batch-size-over-kinesis-limit",
    ),
    pytest.param(
        {"event_source": "dynamodb", "batch_size": "0"},
        "batch_size 0 is out of range for dynamodb",
        id="batch-size-zero-dynamodb",
    ),
    *(
        pytest.param(
            {"invocation": "scheduled_poll", "batch_style": "context_manager", "event_source": source},
            f"unsupported combination invocation=scheduled_poll, event_source={source}: "
            "the scheduled poller pulls from an SQS standard queue",
            id=f"poller-with-{source.replace('_', '-')}",
        )
        for source, row in SOURCES.items()
        if row.not_pollable
    ),
    *(
        pytest.param(
            {"concurrency": "async", "event_source": source, "on_first_failure": "stop"},
            f"unsupported combination concurrency=async, event_source={source}, on_first_failure=stop: "
            f"concurrency=async cannot keep on_first_failure=stop on {source}",
            id=f"async-with-stop-on-{source.replace('_', '-')}",
        )
        for source, row in SOURCES.items()
        if row.stop_not_concurrent
    ),
    pytest.param(
        {"scheduler": "step_functions"},
        "unsupported combination invocation=event_source_mapping, scheduler=step_functions: "
        "the Step Functions scheduler drives the scheduled poller",
        id="step-functions-without-poller",
    ),
    pytest.param({"batch_size": "-5"}, "batch_size -5 is out of range", id="batch-size-negative"),
    pytest.param({"batch_size": "ten"}, "batch_size 'ten' is not a whole number", id="batch-size-not-a-number"),
    pytest.param({"batch_size": "2.5"}, "batch_size '2.5' is not a whole number", id="batch-size-fraction"),
    pytest.param(
        {"aws_region": "moon-base-1"}, "aws_region 'moon-base-1' is not an AWS region", id="region-unknown-shape"
    ),
    pytest.param(
        {"invocation": "scheduled_poll", "batch_style": "decorator"},
        "unsupported combination invocation=scheduled_poll, batch_style=decorator",
        id="poller-with-decorator",
    ),
    pytest.param(
        {"schedule_expression": "every 5 minutes"},
        "schedule_expression 'every 5 minutes' is not a schedule",
        id="schedule-not-rate-or-cron",
    ),
    pytest.param(
        {"schedule_expression": "rate(1 minutes)"},
        "schedule_expression 'rate(1 minutes)' is not a schedule",
        id="schedule-rate-plural-one",
    ),
    pytest.param(
        {"schedule_expression": "rate(0 minutes)"},
        "schedule_expression 'rate(0 minutes)' is not a schedule",
        id="schedule-rate-zero",
    ),
    pytest.param(
        {"schedule_expression": "cron(0 12 * * ?)"},
        "schedule_expression 'cron(0 12 * * ?)' is not a schedule",
        id="schedule-cron-five-fields",
    ),
    pytest.param(
        {"idempotency_key": "order id"},
        "idempotency_key 'order id' is not a field path",
        id="idempotency-key-not-a-path",
    ),
    pytest.param(
        {"idempotency_key": "items[0].sku"},
        "idempotency_key 'items[0].sku' is not a field path",
        id="idempotency-key-expression",
    ),
    pytest.param({"aws_region": "EU-WEST-1"}, "aws_region 'EU-WEST-1' is not an AWS region", id="region-uppercase"),
]
