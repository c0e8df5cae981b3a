"""pydantic's own error messages in the user's language (the common ones; others stay English).

Both loaders (config and content) show the first validation error in one line; pydantic's text is
English only, so its most frequent error types are msgids here, filled from the error's context.
"""

from __future__ import annotations

from typing import Any

from sitbreak import i18n
from sitbreak.i18n import N_, _

MESSAGES: dict[str, str] = {
    "missing": N_("field required"),
    "extra_forbidden": N_("extra inputs are not permitted"),
    "int_parsing": N_("expected a whole number"),
    "int_type": N_("expected a whole number"),
    "int_from_float": N_("expected a whole number"),
    "float_parsing": N_("expected a number"),
    "float_type": N_("expected a number"),
    "bool_parsing": N_("expected true or false"),
    "bool_type": N_("expected true or false"),
    "string_type": N_("expected text"),
    "list_type": N_("expected a list"),
    "dict_type": N_("expected a table"),
    "model_type": N_("expected a table"),
    "greater_than_equal": N_("must be at least {ge}"),
    "greater_than": N_("must be more than {gt}"),
    "less_than_equal": N_("must be at most {le}"),
    "less_than": N_("must be less than {lt}"),
    "literal_error": N_("must be one of: {expected}"),
    "string_too_long": N_("must be at most {max_length} characters long"),
    "string_too_short": N_("must not be empty"),
    "too_long": N_("must have at most {max_length} entries"),
    "too_short": N_("must have at least {min_length} entries"),
    "string_pattern_mismatch": N_("does not have the expected form ({pattern})"),
}


def message(error: Any) -> str:
    """One pydantic error (from ``ValidationError.errors()``) as words the user reads."""
    kind = str(error.get("type", ""))
    text = str(error.get("msg", ""))
    if kind in ("value_error", "assertion_error"):  # our own validators: translated already
        return text.removeprefix("Value error, ").removeprefix("Assertion failed, ")
    if kind in MESSAGES and i18n.current() != i18n.SOURCE_LANGUAGE:  # English: pydantic's own
        ctx = {k: v for k, v in (error.get("ctx") or {}).items() if isinstance(v, int | float | str)}
        try:
            return _(MESSAGES[kind]).format(**ctx)
        except (KeyError, IndexError, ValueError):
            return text
    return text
