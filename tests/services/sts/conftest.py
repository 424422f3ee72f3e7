"""STS test fixtures (shared with the IAM tests)."""

from tests.services.iam.fixtures import connect, iam, sts  # noqa: F401
