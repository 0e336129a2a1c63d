"""PairCount: one window update on the ``event-counts`` topic."""

from enum import StrEnum

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from schemas.event import EventType

COUNTS_SCHEMA_VERSION = 1


class WindowKind(StrEnum):
    TUMBLING = "tumbling"
    HOPPING = "hopping"


class PairCount(BaseModel):
    """The count of distinct events of one type for one pair in one event-time window.

    Updates for the same (kind, window_start, pair, type) supersede each other:
    the latest one carries the current count.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    schema_version: int = COUNTS_SCHEMA_VERSION
    window_kind: WindowKind
    window_start: AwareDatetime
    window_end: AwareDatetime
    pair: str = Field(pattern=r"^[A-Z]{3}-[A-Z]{3}$")
    type: EventType
    count: int = Field(ge=0)
