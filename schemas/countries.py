"""ISO 3166-1 alpha-3 validation, backed by pycountry's maintained list."""

from functools import lru_cache
from typing import Annotated

import pycountry
from pydantic import AfterValidator


@lru_cache(maxsize=1)
def iso_alpha3_codes() -> frozenset[str]:
    return frozenset(c.alpha_3 for c in pycountry.countries)


def check_alpha3(code: str) -> str:
    if code not in iso_alpha3_codes():
        raise ValueError(f"{code!r} is not an ISO 3166-1 alpha-3 country code")
    return code


CountryCode = Annotated[str, AfterValidator(check_alpha3)]
"""A country as an ISO 3166-1 alpha-3 code, e.g. ``RUS``; unknown codes are rejected."""
