"""ELBv2 error codes. Class names follow botocore's error shapes; ``code`` is the shape's wire
code (``DuplicateLoadBalancerNameException`` is sent as ``DuplicateLoadBalancerName``) and
``status`` its HTTP status, both as declared in botocore's ``elbv2`` model (a test checks that).
Constraint failures the model does not name are the query protocol's ``ValidationError``
(raised as :class:`~simulator.core.errors.ValidationException`).
"""

from __future__ import annotations

from simulator.core.errors import AWSError


class AllocationIdNotFoundException(AWSError):
    code = "AllocationIdNotFound"


class ALPNPolicyNotSupportedException(AWSError):
    code = "ALPNPolicyNotFound"


class CertificateNotFoundException(AWSError):
    code = "CertificateNotFound"


class DuplicateListenerException(AWSError):
    code = "DuplicateListener"


class DuplicateLoadBalancerNameException(AWSError):
    code = "DuplicateLoadBalancerName"


class DuplicateTagKeysException(AWSError):
    code = "DuplicateTagKeys"


class DuplicateTargetGroupNameException(AWSError):
    code = "DuplicateTargetGroupName"


class IncompatibleProtocolsException(AWSError):
    code = "IncompatibleProtocols"


class InvalidConfigurationRequestException(AWSError):
    code = "InvalidConfigurationRequest"


class InvalidLoadBalancerActionException(AWSError):
    code = "InvalidLoadBalancerAction"


class InvalidSecurityGroupException(AWSError):
    code = "InvalidSecurityGroup"


class ListenerNotFoundException(AWSError):
    code = "ListenerNotFound"


class LoadBalancerNotFoundException(AWSError):
    code = "LoadBalancerNotFound"


class OperationNotPermittedException(AWSError):
    code = "OperationNotPermitted"


class ResourceInUseException(AWSError):
    code = "ResourceInUse"


class RuleNotFoundException(AWSError):
    code = "RuleNotFound"


class SSLPolicyNotFoundException(AWSError):
    code = "SSLPolicyNotFound"


class SubnetNotFoundException(AWSError):
    code = "SubnetNotFound"


class TargetGroupAssociationLimitException(AWSError):
    code = "TargetGroupAssociationLimit"


class TargetGroupNotFoundException(AWSError):
    code = "TargetGroupNotFound"


class TooManyCertificatesException(AWSError):
    code = "TooManyCertificates"


class TooManyListenersException(AWSError):
    code = "TooManyListeners"


class TooManyLoadBalancersException(AWSError):
    code = "TooManyLoadBalancers"


class TooManyTagsException(AWSError):
    code = "TooManyTags"


class TooManyTargetGroupsException(AWSError):
    code = "TooManyTargetGroups"


class TrustStoreNotFoundException(AWSError):
    code = "TrustStoreNotFound"


class UnsupportedProtocolException(AWSError):
    code = "UnsupportedProtocol"


ALL: tuple[type[AWSError], ...] = tuple(
    cls for cls in list(globals().values()) if isinstance(cls, type) and cls.__module__ == __name__
)
