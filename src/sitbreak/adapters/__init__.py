"""Thin platform adapters, one file per platform behind the small protocols in ``base``.

Each family has a factory ``select_*(...) -> Picked[T]`` that tries candidates in order and says
why each was or was not taken (shown by ``sitbreak doctor``). No platform work at import time.
"""
