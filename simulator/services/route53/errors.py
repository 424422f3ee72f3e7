"""Route 53 error codes, each an error shape of botocore's ``route53`` model (a test checks
codes and HTTP statuses against it). ``InvalidChangeBatch`` declares no status in the model;
Route 53 answers it with 400 (API_ChangeResourceRecordSets.html, "Errors")."""

from __future__ import annotations

from simulator.core.errors import AWSError


class NoSuchHostedZone(AWSError):
    status = 404


class NoSuchChange(AWSError):
    status = 404


class HostedZoneAlreadyExists(AWSError):
    status = 409


class HostedZoneNotEmpty(AWSError):
    status = 400


class InvalidDomainName(AWSError):
    status = 400


class InvalidInput(AWSError):
    status = 400


class InvalidChangeBatch(AWSError):
    status = 400


class TooManyHostedZones(AWSError):
    status = 400


ALL: tuple[type[AWSError], ...] = (
    NoSuchHostedZone,
    NoSuchChange,
    HostedZoneAlreadyExists,
    HostedZoneNotEmpty,
    InvalidDomainName,
    InvalidInput,
    InvalidChangeBatch,
    TooManyHostedZones,
)
