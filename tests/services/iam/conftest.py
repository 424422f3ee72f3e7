"""IAM test fixtures (shared with the STS tests)."""

from tests.services.iam.fixtures import connect, iam, sts  # noqa: F401
