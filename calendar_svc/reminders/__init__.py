"""Reminder emails before deadlines, sent exactly once.

``schedule`` decides what is due when, ``delivery`` claims and sends it,
``message`` composes the email, ``transport`` hands it to SMTP or an outbox,
``service`` ties them to one database and one clock. This package imports
nothing from the CLI or the web app.
"""
