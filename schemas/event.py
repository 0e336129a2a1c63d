"""DiplomaticEvent: the record on the ``events`` topic (see shared spec EVENTS.md)."""

import datetime as dt
from enum import StrEnum
from typing import Self

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from schemas.countries import CountryCode

SCHEMA_VERSION = 1
"""Bumped on any incompatible change; also sent as the ``schema-version`` header."""


class EventType(StrEnum):
    VISIT = "visit"
    INVITATION = "invitation"
    SUMMIT = "summit"
    SANCTION_WARNING = "sanction_warning"


class Status(StrEnum):
    OCCURRED = "occurred"
    PLANNED = "planned"
    POSSIBLE = "possible"


class Precision(StrEnum):
    DAY = "day"
    MONTH = "month"
    YEAR = "year"
    UNKNOWN = "unknown"


CAMEO_CODES: dict[EventType, str] = {
    EventType.VISIT: "042",  # make a visit (the host's view is 043)
    EventType.INVITATION: "036",  # express intent to meet or negotiate
    EventType.SUMMIT: "043",  # host a visit / meet, at leader level (044 at a third location)
    EventType.SANCTION_WARNING: "1312",  # threaten with sanctions, boycott, embargo
}


def make_pair(a: str, b: str) -> str:
    """The undirected pair key, e.g. ``PRK-RUS``: sorted so both directions count together."""
    return "-".join(sorted((a, b)))


class DiplomaticEvent(BaseModel):
    """One real-world happening between two countries, reported in one article."""

    model_config = ConfigDict(frozen=True, extra="forbid", use_enum_values=False)

    event_id: str = Field(
        pattern=r"^[0-9a-f]{16,64}$", description="Stable hash of the article id and the event identity."
    )
    schema_version: int = SCHEMA_VERSION
    article_id: str = Field(min_length=1)
    type: EventType
    cameo: str = Field(pattern=r"^\d{3,4}$")
    source: CountryCode = Field(description="Visitor, inviter, warner; for summits the lower code.")
    target: CountryCode = Field(description="Host, invitee, warned country; for summits the higher code.")
    pair: str = Field(pattern=r"^[A-Z]{3}-[A-Z]{3}$", description="source and target sorted and joined by '-'.")
    person: str | None = Field(default=None, description="Principal person (visitor, inviter), canonical name.")
    status: Status
    date: dt.date | None = None
    date_end: dt.date | None = None
    precision: Precision = Precision.UNKNOWN
    evidence: str = Field(min_length=1, description="First sentence that reports the event.")
    evidence_start: int = Field(ge=0, description="Character offset of the evidence in Article.body.")
    evidence_end: int = Field(ge=0)
    mentions: int = Field(ge=1, description="How many sentences of the article report this event.")
    confidence: float = Field(ge=0.0, le=1.0)
    published_at: AwareDatetime
    extractor_version: str

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.source == self.target:
            raise ValueError("source and target must be different countries")
        if self.pair != make_pair(self.source, self.target):
            raise ValueError(f"pair must be {make_pair(self.source, self.target)!r}, not {self.pair!r}")
        if self.type is EventType.SUMMIT and self.source > self.target:
            raise ValueError("summit source and target are sorted by code")
        if self.date_end is not None and (self.date is None or self.date_end < self.date):
            raise ValueError("date_end must not be before date")
        if self.date is None and self.precision is not Precision.UNKNOWN:
            raise ValueError("an undated event has precision 'unknown'")
        if self.date is not None and self.precision is Precision.UNKNOWN:
            raise ValueError("a dated event needs a precision")
        if self.evidence_end < self.evidence_start:
            raise ValueError("evidence_end must not be before evidence_start")
        if self.cameo != CAMEO_CODES[self.type] and not (self.type is EventType.SUMMIT and self.cameo == "044"):
            raise ValueError(f"cameo {self.cameo} does not match type {self.type.value}")
        return self
