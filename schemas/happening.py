"""Happening: one real-world occurrence fused from every article that reports it (``happenings`` topic).

Events stay per article and carry the evidence; a happening is what a count of
"what happened between two countries" should count (shared spec EVENTS.md,
"Happenings"). Records on the topic supersede each other per ``happening_id``.
"""

import datetime as dt

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from schemas.countries import CountryCode
from schemas.event import EventType, Precision, Status

HAPPENING_SCHEMA_VERSION = 1


class Happening(BaseModel):
    """The state of one happening after its latest report."""

    model_config = ConfigDict(frozen=True, extra="forbid", use_enum_values=False)

    happening_id: str = Field(
        pattern=r"^[0-9a-f]{16}$", description="Hash of its first report's event id; never changes as reports join."
    )
    schema_version: int = HAPPENING_SCHEMA_VERSION
    type: EventType
    cameo: str = Field(pattern=r"^\d{3,4}$", description="The first report's CAMEO code.")
    source: CountryCode
    target: CountryCode
    pair: str = Field(pattern=r"^[A-Z]{3}-[A-Z]{3}$")
    person: str | None = Field(default=None, description="The principal person, once a report names one.")
    status: Status = Field(description="The strongest status of its reports: occurred > planned > possible.")
    date: dt.date | None = None
    date_end: dt.date | None = None
    precision: Precision = Precision.UNKNOWN
    counted_at: AwareDatetime = Field(
        description="When it is counted: its date (midnight UTC), or its first report's publication when undated."
    )
    historical: bool = Field(
        description="Dated well before its first report (a past visit recalled in passing): counted apart "
        "from current windows."
    )
    first_reported_at: AwareDatetime
    last_reported_at: AwareDatetime
    reports: int = Field(ge=1, description="Events (one per article) fused into it.")
    outlets: int = Field(ge=1, description="Distinct outlets among its reports; an article of unknown outlet is one.")
    article_ids: list[str] = Field(description="Its reporting articles in report order, the first few only.")
    event_ids: list[str] = Field(description="Its reports' event ids in report order, the first few only.")
    confidence: float = Field(
        ge=0.0, le=1.0, description="1 - product over outlets of (1 - the outlet's best event confidence)."
    )
