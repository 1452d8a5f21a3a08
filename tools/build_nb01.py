import sys

sys.path.insert(0, "tools")
from nbtool import build  # noqa: E402

build("notebooks/01_ingest.ipynb", [
    ("md", """
## 2. État des lieux des usages numériques du territoire

Cette partie présente le territoire étudié, les acteurs inclus dans le périmètre, les données d'entrée fournies,
le parc d'équipements et le contexte d'inclusion numérique. Chaque fichier est validé (types, unités, valeurs
plausibles) avant tout calcul : une erreur indique le fichier, la ligne, la colonne et la valeur attendue.
"""),
    ("params", """
territory = "la-rochelle"
seed = 20200101
processed_dir = None
n_draws = 10000
"""),
    ("code", """
from helpers.context import open_context
from helpers.factors import load_categories
from helpers.ingest import (
    fleet_figure,
    fleet_overview,
    inclusion_markdown,
    ingest_all,
    load_inclusion_context,
    territory_markdown,
)
from helpers.plotting import md, show, table

ctx = open_context(territory, processed_dir)
report = ingest_all(ctx)
categories = load_categories()
inventory = report.tables["inventory"]
"""),
    ("md", """
### Acteurs et périmètre
"""),
    ("code", """
md(territory_markdown(ctx.territory, report))
md(inclusion_markdown(ctx.territory, load_inclusion_context()))
"""),
    ("md", """
### Parc d'équipements déclaré

Le parc est décrit par lignes d'équipements identiques (format d'échange PCR-SI de l'ADEME et de Boavizta) :
entité, catégorie, quantité, année d'achat, durée de vie, consommation, reconditionnement et qualité de la donnée.
"""),
    ("code", """
overview = fleet_overview(inventory, categories)
table(overview, "Nombre d'équipements par catégorie et par entité", max_rows=30)
show(
    fleet_figure(inventory, categories),
    alt=f"Parc déclaré : {int(inventory['quantity'].sum())} équipements ; la catégorie la plus nombreuse est "
    f"« {overview.iloc[0, 0]} » ({int(overview['Total'].iloc[0])} unités).",
)
"""),
    ("code", """
ctx.write_summary("ingest", {
    "files_provided": report.provided,
    "inventory_lines": int(len(inventory)),
    "devices": int(inventory["quantity"].sum()),
    "warnings": [str(w) for w in report.warnings],
})
"""),
])
