"""AWS managed policies these exams lean on, as data: ARN ``arn:aws:iam::aws:policy/<Name>``.

Documents are the default versions published in the AWS Managed Policy Reference
(https://docs.aws.amazon.com/aws-managed-policy/latest/reference/<Name>.html) and in the
public snapshots of ``GetPolicyVersion`` kept by zoph-io/MAMIP; policy ids and creation dates
come from ``GetPolicy`` output kept by tenchi-security/camp. ``ReadOnlyAccess`` is several
thousand actions long: only its statements for the services this kit simulates (and IAM/STS)
are kept, and the policy says so in ``subset``. Note what it lacks: no
``secretsmanager:GetSecretValue`` and no ``kms:Decrypt``, a favourite exam trap.
"""

from __future__ import annotations

import datetime as _dt
import json
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

ARN_PREFIX = "arn:aws:iam::aws:policy/"


@dataclass(frozen=True)
class AwsManagedPolicy:
    name: str
    policy_id: str
    description: str
    created: _dt.datetime
    updated: _dt.datetime
    version: str
    document: str
    subset: bool = False  # True when only part of AWS's document is kept (see module doc)

    @property
    def arn(self) -> str:
        return ARN_PREFIX + self.name


def _t(text: str) -> _dt.datetime:
    return _dt.datetime.fromisoformat(text).replace(tzinfo=_dt.UTC)


def _doc(statement: dict[str, Any] | list[dict[str, Any]]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": statement}, indent=4)


def _allow(
    actions: str | list[str], resource: str | list[str] = "*", **extra: Any
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if "Sid" in extra:
        out["Sid"] = extra.pop("Sid")
    out.update({"Effect": "Allow", "Action": actions, "Resource": resource})
    out.update(extra)
    return out


_POLICIES = (
    AwsManagedPolicy(
        "AdministratorAccess",
        "ANPAIWMBCKSKIEE64ZLYK",
        "Provides full access to AWS services and resources.",
        _t("2015-02-06T18:39:46"),
        _t("2015-02-06T18:39:46"),
        "v1",
        json.dumps(
            {"Version": "2012-10-17", "Statement": [_allow("*")]},
            indent=4,
        ),
    ),
    AwsManagedPolicy(
        "ReadOnlyAccess",
        "ANPAILL3HVNFSB6DCOWYQ",
        "Provides read-only access to AWS services and resources.",
        _t("2015-02-06T18:39:48"),
        _t("2022-05-04T18:38:23"),
        "v85",
        _doc(
            [
                _allow(
                    [
                        "acm-pca:Describe*",
                        "acm-pca:Get*",
                        "acm-pca:List*",
                        "acm:Describe*",
                        "acm:Get*",
                        "acm:List*",
                        "iam:Generate*",
                        "iam:Get*",
                        "iam:List*",
                        "iam:Simulate*",
                        "kms:Describe*",
                        "kms:Get*",
                        "kms:List*",
                        "secretsmanager:Describe*",
                        "secretsmanager:GetResourcePolicy",
                        "secretsmanager:List*",
                        "ssm:Describe*",
                        "ssm:Get*",
                        "ssm:List*",
                        "sts:GetAccessKeyInfo",
                        "sts:GetCallerIdentity",
                        "sts:GetSessionToken",
                    ]
                )
            ]
        ),
        subset=True,
    ),
    AwsManagedPolicy(
        "SecretsManagerReadWrite",
        "ANPAI3VG7CI5BIQZQ6G2E",
        "Provides read/write access to AWS Secrets Manager via the AWS Management Console. "
        "Note: this exludes IAM actions, so combine with IAMFullAccess if rotation "
        "configuration is required.",
        _t("2018-04-04T18:05:29"),
        _t("2026-08-25T23:37:10"),
        "v6",
        json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    _allow(
                        [
                            "secretsmanager:*",
                            "cloudformation:CreateChangeSet",
                            "cloudformation:DescribeChangeSet",
                            "cloudformation:DescribeStackResource",
                            "cloudformation:DescribeStacks",
                            "cloudformation:ExecuteChangeSet",
                            "docdb-elastic:GetCluster",
                            "docdb-elastic:ListClusters",
                            "ec2:DescribeSecurityGroups",
                            "ec2:DescribeSubnets",
                            "ec2:DescribeVpcs",
                            "kms:DescribeKey",
                            "kms:ListAliases",
                            "kms:ListKeys",
                            "lambda:ListFunctions",
                            "rds:DescribeDBClusters",
                            "rds:DescribeDBInstances",
                            "redshift:DescribeClusters",
                            "redshift-serverless:ListWorkgroups",
                            "redshift-serverless:GetNamespace",
                            "tag:GetResources",
                        ],
                        Sid="BasePermissions",
                    ),
                    _allow(
                        [
                            "lambda:AddPermission",
                            "lambda:CreateFunction",
                            "lambda:GetFunction",
                            "lambda:InvokeFunction",
                            "lambda:UpdateFunctionConfiguration",
                        ],
                        "arn:aws:lambda:*:*:function:SecretsManager*",
                        Sid="LambdaPermissions",
                    ),
                    _allow(
                        [
                            "serverlessrepo:CreateCloudFormationChangeSet",
                            "serverlessrepo:GetApplication",
                        ],
                        "arn:aws:serverlessrepo:*:*:applications/SecretsManager*",
                        Sid="SARPermissions",
                    ),
                    _allow(
                        ["s3:GetObject"],
                        [
                            "arn:aws:s3:::awsserverlessrepo-changesets*",
                            "arn:aws:s3:::secrets-manager-rotation-apps-*/*",
                        ],
                        Sid="S3Permissions",
                    ),
                    _allow(
                        ["cloudformation:TagResource", "cloudformation:UntagResource"],
                        Sid="CloudFormationTagOnCreate",
                        Condition={
                            "StringEquals": {
                                "cloudformation:CreateAction": [
                                    "CreateChangeSet",
                                    "ExecuteChangeSet",
                                ]
                            }
                        },
                    ),
                ],
            },
            indent=4,
        ),
    ),
    AwsManagedPolicy(
        "AWSKeyManagementServicePowerUser",
        "ANPAJNPP7PPPPMJRV2SA4",
        "Provides access to AWS Key Management Service (KMS).",
        _t("2015-02-06T18:40:40"),
        _t("2017-03-07T00:55:11"),
        "v2",
        json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    _allow(
                        [
                            "kms:CreateAlias",
                            "kms:CreateKey",
                            "kms:DeleteAlias",
                            "kms:Describe*",
                            "kms:GenerateRandom",
                            "kms:Get*",
                            "kms:List*",
                            "kms:TagResource",
                            "kms:UntagResource",
                            "iam:ListGroups",
                            "iam:ListRoles",
                            "iam:ListUsers",
                        ]
                    )
                ],
            },
            indent=4,
        ),
    ),
    AwsManagedPolicy(
        "IAMReadOnlyAccess",
        "ANPAJKSO7NDY4T57MWDSQ",
        "Provides read only access to IAM via the AWS Management Console.",
        _t("2015-02-06T18:40:00"),  # the reference gives the minute only
        _t("2018-01-25T19:11:27"),
        "v4",
        json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    _allow(
                        [
                            "iam:GenerateCredentialReport",
                            "iam:GenerateServiceLastAccessedDetails",
                            "iam:Get*",
                            "iam:List*",
                            "iam:SimulateCustomPolicy",
                            "iam:SimulatePrincipalPolicy",
                        ]
                    )
                ],
            },
            indent=4,
        ),
    ),
    AwsManagedPolicy(
        "AmazonSSMReadOnlyAccess",
        "ANPAJODSKQGGJTHRYZ5FC",
        "Provides read only access to Amazon SSM.",
        _t("2015-05-29T17:44:19"),
        _t("2015-05-29T17:44:19"),
        "v1",
        json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [_allow(["ssm:Describe*", "ssm:Get*", "ssm:List*"])],
            },
            indent=4,
        ),
    ),
    AwsManagedPolicy(
        "AWSCertificateManagerReadOnly",
        "ANPAI4GSWX6S4MESJ3EWC",
        "Provides read only access to AWS Certificate Manager (ACM).",
        _t("2016-01-21T17:07:33"),
        _t("2021-03-15T16:25:21"),
        "v4",
        # A single statement object, not a list, exactly as AWS publishes it.
        _doc(
            _allow(
                [
                    "acm:DescribeCertificate",
                    "acm:ListCertificates",
                    "acm:GetCertificate",
                    "acm:ListTagsForCertificate",
                    "acm:GetAccountConfiguration",
                ]
            )
        ),
    ),
    AwsManagedPolicy(
        "AWSCertificateManagerFullAccess",
        "ANPAJYCHABBP6VQIVBCBQ",
        "Provides full access to AWS Certificate Manager (ACM)",
        _t("2016-01-21T17:02:36"),
        _t("2020-08-17T22:18:28"),
        "v2",
        json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    _allow(["acm:*"]),
                    _allow(
                        "iam:CreateServiceLinkedRole",
                        "arn:aws:iam::*:role/aws-service-role/acm.amazonaws.com/"
                        "AWSServiceRoleForCertificateManager*",
                        Condition={"StringEquals": {"iam:AWSServiceName": "acm.amazonaws.com"}},
                    ),
                    _allow(
                        [
                            "iam:DeleteServiceLinkedRole",
                            "iam:GetServiceLinkedRoleDeletionStatus",
                            "iam:GetRole",
                        ],
                        "arn:aws:iam::*:role/aws-service-role/acm.amazonaws.com/"
                        "AWSServiceRoleForCertificateManager*",
                    ),
                ],
            },
            indent=4,
        ),
    ),
)

AWS_MANAGED: MappingProxyType[str, AwsManagedPolicy] = MappingProxyType(
    {p.arn: p for p in _POLICIES}
)


def lookup(arn: str) -> AwsManagedPolicy | None:
    return AWS_MANAGED.get(arn)


__all__ = ["ARN_PREFIX", "AWS_MANAGED", "AwsManagedPolicy", "lookup"]
