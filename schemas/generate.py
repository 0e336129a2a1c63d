"""Write the JSON Schema of every record into ``schemas/json/``.

Run ``python -m schemas.generate``; a test fails when the committed files are stale.
"""

import json
import sys
from pathlib import Path

from pydantic import BaseModel

from schemas.article import Article
from schemas.counts import PairCount
from schemas.event import DiplomaticEvent
from schemas.happening import Happening

SCHEMA_DIR = Path(__file__).parent / "json"
MODELS: dict[str, type[BaseModel]] = {
    "article": Article,
    "diplomatic_event": DiplomaticEvent,
    "pair_count": PairCount,
    "happening": Happening,
}


def render(model: type[BaseModel]) -> str:
    schema = model.model_json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def expected_files() -> dict[Path, str]:
    return {SCHEMA_DIR / f"{name}.schema.json": render(m) for name, m in MODELS.items()}


def main() -> int:
    SCHEMA_DIR.mkdir(exist_ok=True)
    for path, text in expected_files().items():
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
