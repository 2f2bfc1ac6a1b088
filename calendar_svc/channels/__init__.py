"""Channels: how a finished reminder reaches people.

``email`` hands messages to SMTP (or an outbox folder); the group robots of
企业微信, 钉钉 and 飞书 post to their webhooks. Each sorts its failures into
:class:`TransientError` (retried with back-off) and :class:`PermanentError`.
Nothing here knows about deadlines, subscribers or the delivery log: the
reminders package above decides what to send and records that it was sent.
"""

from .errors import PermanentError, TransientError
from .robots import PLATFORMS, Note, Robot, WebhookSettings, parse_webhooks

__all__ = ["PLATFORMS", "Note", "PermanentError", "Robot", "TransientError", "WebhookSettings", "parse_webhooks"]
