"""The page budget holds by design: lists that grow with the territory (entities, communes, peers, lines) are
summarised on the published page and given in full in ``tables.xlsx``.

The diagnostic must stay within 1,000 DOM elements (``publish.check_page_budget``, EcoIndex method). Each listed
entity costs elements (a list item and its code span; one table cell per row and entity), so a territory listing its
40 communes used to fail after the whole computation ("page has 1043 DOM elements"). Every list below shows at most
:data:`MAX_LISTED` items, then one line "… et N autres", which costs one element whatever N is.
"""

from __future__ import annotations

import pandas as pd

#: items of a list shown on the page (entities, peers); the rest is counted, listed in full in tables.xlsx
MAX_LISTED = 8
#: entity columns of a table by entity on the page; the others are summed in one "Autres entités" column
MAX_ENTITY_COLUMNS = 6
#: sheet of tables.xlsx with every entity and peer of the territory
ENTITIES_SHEET = "Entités"


def listed_markdown(items: list[str], what: str, sheet: str = ENTITIES_SHEET, n: int = MAX_LISTED) -> list[str]:
    """Markdown list lines: the first ``n`` items (already escaped), then "… et K autres {what}" pointing to the sheet
    of ``tables.xlsx`` with the full list. ``what`` is a plural French noun ("entités")."""
    lines = [f"- {item}" for item in items[:n]]
    if len(items) > n:
        lines.append(f"- … et {len(items) - n} autres {what} : liste complète dans `tables.xlsx` (feuille « {sheet} »)")
    return lines


def listed_inline(items: list[str], what: str, sheet: str = ENTITIES_SHEET, n: int = MAX_LISTED) -> str:
    """The same, as one comma-separated phrase."""
    text = ", ".join(items[:n])
    if len(items) > n:
        text += f" … et {len(items) - n} autres {what} (liste complète dans `tables.xlsx`, feuille « {sheet} »)"
    return text


def top_columns(table: pd.DataFrame, columns: list, n: int = MAX_ENTITY_COLUMNS, other: str = "Autres entités"
                ) -> pd.DataFrame:
    """``table`` with at most ``n`` of ``columns``: the ``n - 1`` largest by column sum (ties: first listed) kept, the
    others summed into one column ``"{other} ({k})"``. Unchanged when ``len(columns) <= n``."""
    if len(columns) <= n:
        return table
    sums = table[columns].sum(axis=0)
    order = sorted(range(len(columns)), key=lambda i: (-float(sums.iloc[i]), i))
    keep = [columns[i] for i in sorted(order[: n - 1])]
    rest = [c for c in columns if c not in keep]
    out = table.drop(columns=rest)
    position = max(out.columns.get_loc(c) for c in keep) + 1
    out.insert(position, f"{other} ({len(rest)})", table[rest].sum(axis=1))
    return out


def entities_table(territory) -> pd.DataFrame:
    """Every entity and peer of ``territory`` (the sheet :data:`ENTITIES_SHEET` of ``tables.xlsx``)."""
    rows = [{"role": "entité", "id": e.id, "name": e.name, "kind": e.kind, "population": e.population}
            for e in territory.entities]
    rows += [{"role": "comparaison", "id": e.id, "name": e.name, "kind": e.kind, "population": e.population}
             for e in territory.peers]
    return pd.DataFrame(rows, columns=["role", "id", "name", "kind", "population"])
