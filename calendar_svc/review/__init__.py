"""Review: the queue of what needs a person, the actions people take, and reviewer accounts."""

from .actions import FOLLOW_RULES, Change, Conflict, ReviewError, apply, edit, version
from .queue import REASONS, Item, counts, review_queue

__all__ = ["FOLLOW_RULES", "Change", "Conflict", "Item", "REASONS", "ReviewError", "apply", "counts", "edit", "review_queue", "version"]
