"""tests/cloudformation_parity.py itself: spellings CloudFormation reads alike compare equal, and
a real difference on either side is reported."""

from __future__ import annotations

import copy
from typing import Any

from .cloudformation_parity import ACCEPTED_DIFFERENCES, Difference, accepted, compare, normalise_value, unaccepted


def sam_side() -> dict[str, Any]:
    """A small expanded SAM template: a queue, a function, its role, a mapping SAM named."""
    return {
        "Parameters": {"AlarmActionArn": {"Type": "String", "Default": ""}},
        "Resources": {
            "SourceQueue": {
                "Type": "AWS::SQS::Queue",
                "DeletionPolicy": "Retain",
                "UpdateReplacePolicy": "Retain",
                "Properties": {"VisibilityTimeout": 180, "KmsMasterKeyId": "alias/aws/sqs"},
            },
            "ProcessorRole": {
                "Type": "AWS::IAM::Role",
                "Properties": {
                    "Policies": [
                        {
                            "PolicyName": "Read",
                            "PolicyDocument": {
                                "Statement": [
                                    {
                                        "Effect": "Allow",
                                        "Action": ["sqs:ReceiveMessage", "sqs:DeleteMessage"],
                                        "Resource": {"Fn::GetAtt": "SourceQueue.Arn"},
                                    }
                                ]
                            },
                        }
                    ]
                },
            },
            "ProcessorFunction": {
                "Type": "AWS::Lambda::Function",
                "Properties": {
                    "Code": {"S3Bucket": "offline-bucket", "S3Key": "ProcessorFunction.zip"},
                    "Runtime": "python3.13",
                    "Role": {"Fn::GetAtt": "ProcessorRole.Arn"},
                    "Environment": {"Variables": {"QUEUE": {"Fn::Sub": "arn:${AWS::Partition}:sqs:x"}}},
                    "Tags": [{"Key": "lambda:createdBy", "Value": "SAM"}],
                },
            },
            "ProcessorFunctionQueueEvent": {
                "Type": "AWS::Lambda::EventSourceMapping",
                "Properties": {
                    "BatchSize": 10,
                    "EventSourceArn": {"Fn::GetAtt": "SourceQueue.Arn"},
                    "FunctionName": {"Ref": "ProcessorFunction"},
                    "FunctionResponseTypes": ["ReportBatchItemFailures"],
                },
            },
        },
        "Outputs": {"SourceQueueUrl": {"Value": {"Ref": "SourceQueue"}}},
    }


def cdk_side() -> dict[str, Any]:
    """The same stack as CDK writes it: GetAtt lists, Join for Sub, a policy resource, a mapping
    under an id of CDK's, Metadata and the bootstrap parameter and rule."""
    return {
        "Parameters": {
            "AlarmActionArn": {"Type": "String", "Default": ""},
            "BootstrapVersion": {"Type": "AWS::SSM::Parameter::Value<String>", "Default": "/cdk-bootstrap/x"},
        },
        "Rules": {"CheckBootstrapVersion": {"Assertions": []}},
        "Resources": {
            "SourceQueue": {
                "Type": "AWS::SQS::Queue",
                "DeletionPolicy": "Retain",
                "UpdateReplacePolicy": "Retain",
                "Properties": {"KmsMasterKeyId": "alias/aws/sqs", "VisibilityTimeout": 180},
            },
            "ProcessorRole": {"Type": "AWS::IAM::Role", "Properties": {}},
            "ProcessorRoleDefaultPolicy1C43AEFA": {
                "Type": "AWS::IAM::Policy",
                "Properties": {
                    "Roles": [{"Ref": "ProcessorRole"}],
                    "PolicyDocument": {
                        "Statement": [
                            {
                                "Effect": "Allow",
                                "Action": ["sqs:DeleteMessage", "sqs:ReceiveMessage"],
                                "Resource": {"Fn::GetAtt": ["SourceQueue", "Arn"]},
                            }
                        ]
                    },
                },
            },
            "ProcessorFunction": {
                "Type": "AWS::Lambda::Function",
                "DependsOn": ["ProcessorRoleDefaultPolicy1C43AEFA"],
                "Metadata": {"aws:cdk:path": "stack/ProcessorFunction/Resource", "aws:asset:path": "src"},
                "Properties": {
                    "Code": {"S3Bucket": {"Fn::Sub": "cdk-assets-${AWS::AccountId}"}, "S3Key": "abc.zip"},
                    "Runtime": "python3.13",
                    "Role": {"Fn::GetAtt": ["ProcessorRole", "Arn"]},
                    "Environment": {
                        "Variables": {"QUEUE": {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":sqs:x"]]}}
                    },
                },
            },
            "ProcessorFunctionSqsEventSourceSourceQueue0A52A365": {
                "Type": "AWS::Lambda::EventSourceMapping",
                "Properties": {
                    "BatchSize": 10,
                    "EventSourceArn": {"Fn::GetAtt": ["SourceQueue", "Arn"]},
                    "FunctionName": {"Ref": "ProcessorFunction"},
                    "FunctionResponseTypes": ["ReportBatchItemFailures"],
                },
            },
        },
        "Outputs": {"SourceQueueUrl": {"Value": {"Ref": "SourceQueue"}}},
    }


def mapping_of(template: dict[str, Any]) -> dict[str, Any]:
    return next(
        resource["Properties"]
        for resource in template["Resources"].values()
        if resource["Type"] == "AWS::Lambda::EventSourceMapping"
    )


def test_the_same_stack_in_either_spelling_has_no_difference() -> None:
    assert compare(sam_side(), cdk_side()) == []


def test_a_changed_batch_size_is_reported() -> None:
    cdk = cdk_side()
    mapping_of(cdk)["BatchSize"] = 100

    differences = compare(sam_side(), cdk)

    assert [str(difference) for difference in differences] == [
        'EventSourceMapping(ProcessorFunction<-SourceQueue) Properties.BatchSize: SAM "10" != CDK "100"'
    ]


def test_a_setting_only_one_side_has_is_reported() -> None:
    sam = sam_side()
    mapping_of(sam)["MaximumBatchingWindowInSeconds"] = 5

    differences = compare(sam, cdk_side())

    assert [(difference.path, difference.sam, difference.cdk) for difference in differences] == [
        ("Properties.MaximumBatchingWindowInSeconds", "5", None)
    ]


def test_a_different_reference_is_reported() -> None:
    cdk = cdk_side()
    cdk["Resources"]["SourceQueue"]["Properties"]["KmsMasterKeyId"] = {"Fn::GetAtt": ["EventsKey", "Arn"]}

    (difference,) = compare(sam_side(), cdk)

    assert (difference.resource, difference.path) == ("SourceQueue", "Properties.KmsMasterKeyId")


def test_a_lost_retention_is_reported() -> None:
    cdk = cdk_side()
    del cdk["Resources"]["SourceQueue"]["DeletionPolicy"]

    assert [(difference.resource, difference.path) for difference in compare(sam_side(), cdk)] == [
        ("SourceQueue", "DeletionPolicy")
    ]


def test_a_permission_either_side_lacks_is_reported_wherever_it_is_written() -> None:
    cdk = cdk_side()
    statement = cdk["Resources"]["ProcessorRoleDefaultPolicy1C43AEFA"]["Properties"]["PolicyDocument"]["Statement"][0]
    statement["Action"].append("sqs:PurgeQueue")
    sam = sam_side()
    sam["Resources"]["ProcessorRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"].append(
        {"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"}
    )

    differences = compare(sam, cdk)

    assert sorted((difference.path, difference.sam, difference.cdk) for difference in differences) == [
        ('ProcessorRole kms:decrypt "*"', "allowed", None),
        ('ProcessorRole sqs:purgequeue {"Fn::GetAtt": ["SourceQueue", "Arn"]}', None, "allowed"),
    ]


def test_a_resource_only_one_side_declares_is_reported() -> None:
    cdk = cdk_side()
    cdk["Resources"]["ExtraQueue"] = copy.deepcopy(cdk["Resources"]["SourceQueue"])

    assert [difference.resource for difference in compare(sam_side(), cdk)] == ["ExtraQueue"]


def test_an_output_of_another_value_is_reported() -> None:
    cdk = cdk_side()
    cdk["Outputs"]["SourceQueueUrl"]["Value"] = {"Fn::GetAtt": ["SourceQueue", "Arn"]}

    assert [(difference.resource, difference.path) for difference in compare(sam_side(), cdk)] == [
        ("Outputs", "SourceQueueUrl.Value")
    ]


def test_sub_and_join_of_the_same_pieces_normalise_alike() -> None:
    sub = {"Fn::Sub": ["arn:${AWS::Partition}:sqs:${Queue}:${Name.Arn}", {"Queue": "q"}]}
    join = {
        "Fn::Join": [
            ":",
            [{"Fn::Join": ["", ["arn", ""]]}, {"Ref": "AWS::Partition"}, "sqs", "q", {"Fn::GetAtt": ["Name", "Arn"]}],
        ]
    }

    assert normalise_value(sub) == normalise_value(join)
    assert normalise_value({"Fn::Sub": "plain"}) == "plain"
    assert normalise_value({"Fn::Join": [",", ["a", "b"]]}) == "a,b"


def test_an_accepted_difference_is_accepted_only_where_it_is_named() -> None:
    (resource, path), _reason = next(iter(ACCEPTED_DIFFERENCES.items()))

    assert accepted(Difference(resource, path, None, "allowed")) is not None
    assert accepted(Difference(resource, f"{path}x", None, "allowed")) is None
    assert accepted(Difference("SomethingElse", path, None, "allowed")) is None


def test_unaccepted_keeps_what_no_entry_names() -> None:
    cdk = cdk_side()
    mapping_of(cdk)["BatchSize"] = 100

    assert len(unaccepted(sam_side(), cdk)) == 1
