"""Secrets Lab: an offline, faithful simulator of AWS KMS, Secrets Manager, Parameter Store
and ACM, reachable through genuine boto3 clients.

    >>> from simulator import Cloud
    >>> cloud = Cloud(seed=7)
    >>> kms = cloud.client("kms", region_name="eu-west-1")
"""

from simulator.cloud import Cloud
from simulator.core.errors import AWSError, NotSimulatedException
from simulator.core.snapshot import SnapshotError
from simulator.transport.botocore_hook import ServiceNotSimulatedError

__all__ = [
    "AWSError",
    "Cloud",
    "NotSimulatedException",
    "ServiceNotSimulatedError",
    "SnapshotError",
]
__version__ = "0.1.0"
