"""The date grammar of Chinese official documents: find, then resolve."""

from .grammar import Mention, Moment, find_mentions
from .numerals import fold_width, parse_number
from .resolve import ImpossibleDate, YearContext, resolve_range, resolve_year, to_value, year_of_weekdays

__all__ = [
    "ImpossibleDate",
    "Mention",
    "Moment",
    "YearContext",
    "find_mentions",
    "fold_width",
    "parse_number",
    "resolve_range",
    "resolve_year",
    "to_value",
    "year_of_weekdays",
]
