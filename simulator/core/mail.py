"""A simulated mail system: the inboxes that AWS's e-mails land in.

AWS sends mail in several flows a learner has to complete by hand: SNS e-mail subscriptions
("Confirm subscription"), ACM e-mail validation ("I Approve"). Here a service calls
:meth:`MailSystem.send`; the learner reads ``cloud.mail.inbox("admin@example.com")`` and
follows a link with ``cloud.mail.follow(link)``, which runs the action the sending service
registered for it (:meth:`MailSystem.register_action`).

Like scheduled jobs, a link names an action *kind* and carries JSON-able arguments, never a
Python callable, so mailboxes survive :meth:`Cloud.save` / :meth:`Cloud.load`; services register
their action handlers again when the loaded Cloud starts them.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from simulator.core.ids import IdSource
from simulator.core.persist import from_json, to_json

LinkAction = Callable[[dict[str, Any]], Any]


class MailError(Exception):
    """A link that cannot be followed (unknown link, no handler for its action)."""


@dataclass
class Link:
    """An action link in a message, e.g. "Confirm subscription"."""

    label: str
    url: str
    action: str  # the registered action kind, e.g. "sns.confirm_subscription"
    args: dict[str, Any] = field(default_factory=dict)
    followed: list[_dt.datetime] = field(default_factory=list)


@dataclass
class Message:
    message_id: str
    sender: str
    to: str
    subject: str
    body: str
    sent_at: _dt.datetime
    links: list[Link] = field(default_factory=list)

    def link(self, label: str) -> Link:
        """The link whose label contains ``label`` (case-insensitive)."""
        wanted = label.lower()
        for link in self.links:
            if wanted in link.label.lower():
                return link
        raise MailError(f"message {self.subject!r} has no link labelled {label!r}")


def _address(address: str) -> str:
    # Mailbox names are case-insensitive in practice; keep one inbox per address.
    return address.strip().lower()


class MailSystem:
    """Every inbox in the Cloud, newest message last."""

    def __init__(self, ids: IdSource, now: Callable[[], _dt.datetime]) -> None:
        self._ids = ids
        self._now = now
        self._actions: dict[str, LinkAction] = {}
        self.resolver: Callable[[str], object] | None = None  # creates a service by name
        self._boxes: dict[str, list[Message]] = {}

    def __repr__(self) -> str:
        count = sum(len(box) for box in self._boxes.values())
        return f"<MailSystem {count} messages in {len(self._boxes)} inboxes>"

    def register_action(self, kind: str, handler: LinkAction) -> None:
        """Called by a service at start-up: what following a link of ``kind`` does."""
        self._actions[kind] = handler

    def send(
        self,
        *,
        sender: str,
        to: str | list[str],
        subject: str,
        body: str,
        links: list[tuple[str, str, dict[str, Any]]] | None = None,
    ) -> list[Message]:
        """Deliver a message to each recipient; ``links`` are ``(label, action, args)``.

        Returns the delivered copies, one per recipient, each with its own link URLs.
        """
        recipients = [to] if isinstance(to, str) else list(to)
        sent: list[Message] = []
        for recipient in recipients:
            message_id = self._ids.uuid()
            message = Message(
                message_id=message_id,
                sender=sender,
                to=recipient,
                subject=subject,
                body=body,
                sent_at=self._now(),
                links=[
                    Link(
                        label,
                        f"https://mail.secrets-lab.invalid/{message_id}/{n}",
                        action,
                        dict(args),
                    )
                    for n, (label, action, args) in enumerate(links or [])
                ],
            )
            self._boxes.setdefault(_address(recipient), []).append(message)
            sent.append(message)
        return sent

    def inbox(self, address: str) -> list[Message]:
        """The messages sent to ``address``, oldest first (a copy of the list)."""
        return list(self._boxes.get(_address(address), []))

    def addresses(self) -> list[str]:
        return sorted(self._boxes)

    def follow(self, link: Link | str) -> Any:
        """Follow a link (the object, or its URL): runs its action and returns the result."""
        found = self._find(link) if isinstance(link, str) else link
        handler = self._actions.get(found.action)
        if handler is None and self.resolver is not None:
            self.resolver(found.action.partition(".")[0])  # the Cloud creates it on first use
            handler = self._actions.get(found.action)
        if handler is None:
            raise MailError(f"nothing handles links of kind {found.action!r} in this Cloud")
        found.followed.append(self._now())
        return handler(dict(found.args))

    def _find(self, url: str) -> Link:
        for box in self._boxes.values():
            for message in box:
                for link in message.links:
                    if link.url == url:
                        return link
        raise MailError(f"no message in this Cloud has the link {url}")

    # -- snapshot -----------------------------------------------------------------------
    def dump(self) -> dict[str, Any]:
        return {address: [to_json(m) for m in box] for address, box in self._boxes.items()}

    def restore(self, data: dict[str, Any]) -> None:
        self._boxes = {
            address: [from_json(Message, raw) for raw in box] for address, box in data.items()
        }
