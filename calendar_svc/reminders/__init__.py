"""Reminder emails before deadlines, sent exactly once.

``schedule`` decides what is due when, ``delivery`` claims and sends it,
``message`` composes the email, :mod:`calendar_svc.channels` carries it (SMTP, an outbox, group robots),
``service`` ties them to one database and one clock. This package imports
nothing from the CLI or the web app.
"""
