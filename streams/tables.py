"""The event tables of ``diplostream extract`` and the demo's report, narrow terminals included.

Rich shrinks every column of a table that is wider than the console and ends
cells with "…", so at 80 columns a date came out as ``2023-09-…``. Here the
short, exact columns (type, status, date, pair) never wrap and keep the width
of their longest value; the free-text columns (article id, person, evidence)
are the ones that fold onto more lines.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.table import Table

from schemas import DiplomaticEvent
from schemas.happening import Happening


def when(event: DiplomaticEvent) -> str:
    """The event's date, or its range with a space either side of "…" so it can break there, never inside a date."""
    if event.date is None:
        return ""
    return f"{event.date} … {event.date_end}" if event.date_end else str(event.date)


def _exact(table: Table, header: str, values: Iterable[str]) -> int:
    """A column that is never cut: as wide as its longest value (or header), no wrapping; returns that width."""
    width = max([len(header), *(len(v) for v in values)])
    table.add_column(header, no_wrap=True, overflow="fold", min_width=width)
    return width


def fit(natural: list[int], minimum: list[int], room: int) -> list[int] | None:
    """Widths for the shrinkable columns within ``room``: the widest give way first, none below its minimum.

    Rich's own shrinking stops once the shrinkable columns are equally wide and
    then narrows every column, exact ones included (hence ``2023-09-…``); sizing
    these columns here leaves rich nothing to shrink. None if even the minimums
    do not fit.
    """
    if sum(minimum) > room:
        return None
    widths = [max(n, m) for n, m in zip(natural, minimum, strict=True)]
    while sum(widths) > room:
        i = max((k for k in range(len(widths)) if widths[k] > minimum[k]), key=lambda k: widths[k])
        widths[i] -= 1
    return widths


def events_table(events: list[DiplomaticEvent], title: str, *, evidence: bool, width: int) -> Table:
    """One row per event, fitted to a console ``width`` wide.

    Type, source, target and status keep their widths and never wrap; the date
    column never cuts a date (a range may break at the spaces around "…"); the
    article id, person and evidence fold onto more lines. The evidence (with
    ``evidence``) shrinks first and is left out, with a caption saying so, when
    fewer than 20 characters are left for it.
    """
    ids = [e.article_id[:12] for e in events]
    persons = [e.person or "" for e in events]
    dates = [when(e) for e in events]
    sentences = [e.evidence[:120] for e in events]
    table = Table(title=title)
    table.add_column("article", overflow="fold")
    exact = _exact(table, "type", (e.type.value for e in events))
    exact += _exact(table, "source", (e.source for e in events))
    exact += _exact(table, "target", (e.target for e in events))
    table.add_column("person", overflow="fold")
    exact += _exact(table, "status", (e.status.value for e in events))
    table.add_column("date", overflow="fold")
    if evidence:
        table.add_column("evidence", overflow="fold")

    def longest(header: str, values: list[str], cap: int = 1000) -> int:
        return min(cap, max([len(header), *(len(v) for v in values)]))

    # article, person, date (a range wraps at its spaces into whole dates), evidence
    natural = [longest("article", ids), longest("person", persons), longest("date", dates)]
    minimum = [5, 6, 10]  # a date is 10 characters; a range then takes three lines
    if evidence:
        natural.append(longest("evidence", sentences, cap=60))
        minimum.append(20)
    overhead = 3 * len(table.columns) + 1  # 2 of padding and 1 of border per column, plus the last border
    widths = fit(natural, minimum, width - exact - overhead)
    if widths is None and evidence:
        table.columns.pop()
        table.caption = f"evidence left out at {width} columns (diplostream extract --jsonl FILE has it)"
        evidence = False
        widths = fit(natural[:3], minimum[:3], width - exact - (overhead - 3))
    if widths is not None:  # else narrower than the exact columns: rich does what it can
        flexible = [table.columns[0], table.columns[4], table.columns[6], *table.columns[7:]]
        for column, w in zip(flexible, widths, strict=True):
            column.width = w
    for row in zip(
        ids,
        (e.type.value for e in events),
        (e.source for e in events),
        (e.target for e in events),
        persons,
        (e.status.value for e in events),
        dates,
        sentences,
        strict=True,
    ):
        table.add_row(*(row if evidence else row[:-1]))
    return table


def pair_table(rows: list[tuple[str, str, int]], title: str, **beside: dict[tuple[str, str], int]) -> Table:
    """(pair, type, count) rows, the pair and type columns never cut; each keyword (``happenings=``,
    ``historical=``) a column of its counts per (pair, type) beside: what was reported against what happened."""
    table = Table(title=title)
    _exact(table, "pair", (pair for pair, _, _ in rows))
    _exact(table, "type", (type_ for _, type_, _ in rows))
    table.add_column("events", justify="right", no_wrap=True)
    for name in beside:
        table.add_column(name, justify="right", no_wrap=True)
    for pair, type_, n in rows:
        table.add_row(pair, type_, str(n), *(str(counts.get((pair, type_), 0)) for counts in beside.values()))
    return table


def happenings_table(happenings: list[Happening], title: str, *, width: int) -> Table:
    """One row per happening: what happened, when, and how many articles and outlets reported it.

    The exact columns (type, source, target, status, date) never wrap; the person folds. A
    historical reference (dated well before its first report) is marked in the date column.
    """
    table = Table(title=title)
    _exact(table, "type", (h.type.value for h in happenings))
    _exact(table, "source", (h.source for h in happenings))
    _exact(table, "target", (h.target for h in happenings))
    table.add_column("person", overflow="fold", min_width=min(14, max(6, width - 95)))
    _exact(table, "status", (h.status.value for h in happenings))
    dates = [(_happening_date(h) + (" (past)" if h.historical else "")) for h in happenings]
    _exact(table, "date", dates)
    table.add_column("reports", justify="right", no_wrap=True)
    table.add_column("outlets", justify="right", no_wrap=True)
    for h, date in zip(happenings, dates, strict=True):
        table.add_row(
            h.type.value, h.source, h.target, h.person or "", h.status.value, date, str(h.reports), str(h.outlets)
        )
    return table


def _happening_date(h: Happening) -> str:
    if h.date is None:
        return ""
    return f"{h.date} … {h.date_end}" if h.date_end else str(h.date)
