"""PairCount: one window update on the ``event-counts`` topic."""

from enum import StrEnum

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from schemas.event import EventType

COUNTS_SCHEMA_VERSION = 2
"""2: the ``series`` field (1 had reports only)."""


class WindowKind(StrEnum):
    TUMBLING = "tumbling"
    HOPPING = "hopping"


class Series(StrEnum):
    """What a count counts."""

    REPORTS = "reports"
    """Events (one per report) on their article's publication time; never decreases."""
    HAPPENINGS = "happenings"
    """Happenings, once each, on their own date; moves when a happening is re-dated or withdrawn."""
    HISTORICAL = "historical"
    """Happenings dated well before the newest news when first counted (past visits recalled), own date."""


class PairCount(BaseModel):
    """The count of one series (reports, happenings, historical happenings) of one type for one pair in one
    event-time window.

    Updates for the same (series, kind, window_start, pair, type) supersede each other:
    the latest one carries the current count.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    schema_version: int = COUNTS_SCHEMA_VERSION
    series: Series = Field(
        default=Series.REPORTS,
        description="reports: distinct events on publication time; happenings: happenings on their own date; "
        "historical: happenings dated before the newest news minus the grace when first counted.",
    )
    window_kind: WindowKind
    window_start: AwareDatetime
    window_end: AwareDatetime
    pair: str = Field(pattern=r"^[A-Z]{3}-[A-Z]{3}$")
    type: EventType
    count: int = Field(ge=0)
