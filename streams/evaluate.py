"""Score extracted events against analyst gold files (EVENTS.md, "The gold files").

Events match one to one per article on type, source and target (summit pairs
unordered); among several candidates the one whose principal person and date
agree wins. Required gold events count for recall; events matched to optional
gold events neither help nor hurt precision.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

Event = Mapping[str, Any]


@dataclass(slots=True)
class Score:
    precision: float
    recall: float
    f1: float
    date_accuracy: float
    status_accuracy: float
    predicted: int
    required: int
    matched: int
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"events: P={self.precision:.3f} R={self.recall:.3f} F1={self.f1:.3f} "
            f"date={self.date_accuracy:.3f} status={self.status_accuracy:.3f} "
            f"(predicted {self.predicted}, required {self.required}, matched {self.matched})"
        )


def article_key(value: str) -> str:
    name = Path(str(value)).name
    for ext in (".txt", ".json", ".md"):
        name = name.removesuffix(ext)
    return name


def _key(e: Event) -> tuple[Any, ...]:
    s, t = e.get("source"), e.get("target")
    if e.get("type") == "summit":
        s, t = sorted([s or "", t or ""])
    return (e.get("type"), s, t)


def _as_list(v: Any) -> list[Any]:
    return v if isinstance(v, list) else [v]


def _surname(name: str | None) -> str | None:
    return name.replace("-", " ").split()[-1].lower() if name else None


def date_ok(gold: Event, predicted: Any) -> bool:
    precision = gold.get("precision") or "unknown"
    p = str(predicted)[:10] if predicted else None
    for g in _as_list(gold.get("date")):
        if g is None and p is None:
            return True
        if g is None or p is None:
            continue
        if p == g or (precision == "month" and p[:7] == g[:7]) or (precision == "year" and p[:4] == g[:4]):
            return True
    return False


def status_ok(gold: Event, predicted: Any) -> bool:
    return predicted in _as_list(gold.get("status"))


def _affinity(g: Event, p: Event) -> int:
    gs, ps = _surname(g.get("person")), _surname(p.get("person"))
    score = (2 if gs == ps else -2) if gs and ps else 0
    return score + int(date_ok(g, p.get("date")))


def match(golds: list[Event], preds: list[Event]) -> list[tuple[int, int]]:
    """Greedy one-to-one matching, best affinity first, required gold before optional."""
    cands = sorted(
        (-_affinity(g, p), not g.get("required", True), gi, pi)
        for gi, g in enumerate(golds)
        for pi, p in enumerate(preds)
        if _key(g) == _key(p)
    )
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for _, _, gi, pi in cands:
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            pairs.append((gi, pi))
    return pairs


def load_gold(folder: Path) -> dict[str, dict[str, Any]]:
    gold: dict[str, dict[str, Any]] = {}
    for f in sorted(folder.glob("*.json")):
        doc = json.loads(f.read_text(encoding="utf-8"))
        gold[article_key(doc.get("article_id") or f.stem)] = doc
    return gold


def load_events(path: Path) -> dict[str, list[dict[str, Any]]]:
    preds: dict[str, list[dict[str, Any]]] = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            event = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path}:{n}: not JSON: {exc.msg}") from None
        if "article_id" not in event:
            raise ValueError(f"{path}:{n}: event has no article_id")
        preds.setdefault(article_key(event["article_id"]), []).append(event)
    return preds


def score(gold: Mapping[str, Mapping[str, Any]], preds: Mapping[str, Iterable[Event]]) -> Score:
    tp = fp = required = hits = date_hits = status_hits = matched = 0
    notes: list[str] = []
    for art, doc in gold.items():
        golds, ps = list(doc["events"]), list(preds.get(art, []))
        pairs = match(golds, ps)
        required += sum(1 for g in golds if g.get("required", True))
        for gi, pi in pairs:
            g, p = golds[gi], ps[pi]
            if g.get("required", True):
                hits += 1
                tp += 1
            matched += 1
            d_ok, s_ok = date_ok(g, p.get("date")), status_ok(g, p.get("status"))
            date_hits += d_ok
            status_hits += s_ok
            if not (d_ok and s_ok):
                notes.append(
                    f"{art} ~ {_key(g)} date {p.get('date')} vs {g.get('date')}, "
                    f"status {p.get('status')} vs {g.get('status')}"
                )
        fp += len(ps) - len(pairs)
        hit_g, hit_p = {gi for gi, _ in pairs}, {pi for _, pi in pairs}
        notes += [
            f"{art} MISSED {_key(g)} {g.get('person') or ''} {g.get('date')} :: {g.get('evidence', '')[:90]}"
            for gi, g in enumerate(golds)
            if gi not in hit_g and g.get("required", True)
        ]
        notes += [
            f"{art} SPURIOUS {_key(p)} {p.get('person') or ''} {p.get('date')} :: {str(p.get('evidence', ''))[:90]}"
            for pi, p in enumerate(ps)
            if pi not in hit_p
        ]
    for art in sorted(set(preds) - set(gold)):
        n = len(list(preds[art]))
        fp += n
        notes.append(f"{art}: {n} events for an article with no gold")
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = hits / required if required else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Score(
        precision=round(precision, 4),
        recall=round(recall, 4),
        f1=round(f1, 4),
        date_accuracy=round(date_hits / matched, 4) if matched else 0.0,
        status_accuracy=round(status_hits / matched, 4) if matched else 0.0,
        predicted=tp + fp + (matched - tp),
        required=required,
        matched=matched,
        notes=notes,
    )
