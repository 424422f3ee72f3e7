"""Exercise checks for the notebooks: what a learner's answer got right, and what it did not.

Owns :class:`CheckResult`, the value every ``check_...()`` helper of the lab returns, and
:func:`client_error`, which reads the AWS error code and message out of what botocore raised.
A check never raises on a wrong answer: it returns a result whose ``ok`` is False and whose
lines say, in plain words, which property failed, so an exercise cell can ``assert result.ok,
result`` and the learner reads the reasons in the assertion message.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from botocore.exceptions import ClientError, ParamValidationError

#: The code reported when botocore refused a request before sending it (no AWS error code).
CLIENT_SIDE = "ParamValidationError"


def client_error(exc: BaseException) -> tuple[str, str]:
    """The (code, message) of a botocore error; ``("", str(exc))`` for anything else."""
    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        return str(error.get("Code", "")), str(error.get("Message", ""))
    if isinstance(exc, ParamValidationError):
        return CLIENT_SIDE, str(exc)
    return "", str(exc)


@dataclass
class CheckResult:
    """The verdict on one exercise: every property checked, passed or failed, in order."""

    title: str
    passed: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed and bool(self.passed)

    def __bool__(self) -> bool:
        return self.ok

    def expect(self, condition: bool, success: str, failure: str) -> bool:
        """Record one property: ``success`` when ``condition`` holds, else ``failure``."""
        (self.passed if condition else self.failed).append(success if condition else failure)
        return condition

    def __str__(self) -> str:
        verdict = "passed" if self.ok else "not yet"
        lines = [f"{self.title}: {verdict}"]
        lines += [f"  ✓ {line}" for line in self.passed]
        lines += [f"  ✗ {line}" for line in self.failed]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        colour = "#1a7f37" if self.ok else "#cf222e"
        items = [f"<li>✓ {html.escape(line)}</li>" for line in self.passed]
        items += [f"<li style='color:#cf222e'>✗ {html.escape(line)}</li>" for line in self.failed]
        verdict = "passed" if self.ok else "not yet"
        return (
            f"<p style='color:{colour}'><b>{html.escape(self.title)}: {verdict}</b></p>"
            f"<ul>{''.join(items)}</ul>"
        )
