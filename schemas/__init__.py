"""The records diplostream puts on its topics.

Importable on its own (``pip install diplostream`` and ``from schemas import
DiplomaticEvent``) so that downstream consumers validate what they read
without pulling in Faust or Kafka clients.
"""

from schemas.article import Article
from schemas.counts import PairCount, Series, WindowKind
from schemas.event import (
    CAMEO_CODES,
    SCHEMA_VERSION,
    DiplomaticEvent,
    EventType,
    Precision,
    Status,
    make_pair,
)
from schemas.happening import HAPPENING_SCHEMA_VERSION, Happening

__all__ = [
    "CAMEO_CODES",
    "HAPPENING_SCHEMA_VERSION",
    "SCHEMA_VERSION",
    "Article",
    "DiplomaticEvent",
    "EventType",
    "Happening",
    "PairCount",
    "Precision",
    "Series",
    "Status",
    "WindowKind",
    "make_pair",
]
