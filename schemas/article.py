"""A news article as it travels on the ``articles`` topic."""

from datetime import datetime

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

ARTICLE_SCHEMA_VERSION = 1


class Article(BaseModel):
    """One news article, already cleaned of page boilerplate.

    ``body`` is the text the extractor reads; event evidence offsets index into it,
    so every consumer that re-extracts gets the same offsets.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    schema_version: int = ARTICLE_SCHEMA_VERSION
    article_id: str = Field(
        min_length=1, max_length=200, description="Stable id; the file name without extension for files."
    )
    title: str | None = None
    body: str = Field(min_length=1)
    published_at: AwareDatetime = Field(description="Publication time; the event time of undated events.")
    outlet: str | None = None
    url: str | None = None

    @property
    def published(self) -> datetime:
        return self.published_at
