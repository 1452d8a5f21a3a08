"""Asset-tool exports go in as they come (issue 17): GLPI, OCS Inventory, ServiceNow, Snipe-IT and a LibreOffice sheet.

The fixtures (``tests/fixtures/exports/``, written by ``make_fixtures.py`` from the public column lists of
``asset-exports.md``) carry retired, scrapped, stolen, in-stock rows, purchases after the reference year, unknown and
unmodelled types, duplicated serial numbers and entity names in mixed case, GLPI tree paths and aliases. Each export
must give, with zero edits, the same fleet as the same assets written by hand as a clean grouped ``inventory.csv``
(``expected_inventory.csv``, computed by the generator with its own rules), and an import report whose counts equal
the generator's counts by reason (``expected_report.json``).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from helpers.io import paths
from helpers.io.errors import InputError

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "exports"
TOOLS = ("glpi", "ocs", "servicenow", "snipeit", "ods")


@pytest.fixture
def sandbox(tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "RAW_DIR", tmp_path / "raw")
    monkeypatch.setattr(paths, "PROCESSED_DIR", tmp_path / "processed")
    (tmp_path / "raw").mkdir()
    return tmp_path


def install(sandbox, tool: str, slug: str = "fx") -> Path:
    """Copy a fixture's territory folder as ``data/raw/<slug>/``, as the analyst drops the export in."""
    folder = sandbox / "raw" / slug
    shutil.copytree(FIXTURES / tool / "raw", folder)
    return folder


def read_fleet(slug: str, strict: bool = False) -> pd.DataFrame:
    from helpers.io.factors import load_categories
    from helpers.io.inventory import inventory_sources, read_inventory
    from helpers.io.territory import load_territory

    return read_inventory(inventory_sources(paths.RAW_DIR / slug), load_territory(slug), load_categories(), None,
                          strict=strict)


def install_clean(sandbox, tool: str, slug: str = "clean") -> Path:
    """The same territory with the hand-written grouped inventory instead of the export."""
    folder = sandbox / "raw" / slug
    folder.mkdir()
    shutil.copy(FIXTURES / tool / "raw" / "territory.yaml", folder / "territory.yaml")
    shutil.copy(FIXTURES / tool / "expected_inventory.csv", folder / "inventory.csv")
    return folder


@pytest.mark.parametrize("tool", TOOLS)
def test_export_gives_the_fleet_written_by_hand(sandbox, tool):
    """Devices by (entity, category, purchase year) and the fleet's yearly kWh equal those of the clean grouped file."""
    install(sandbox, tool)
    install_clean(sandbox, tool)
    got, clean = read_fleet("fx"), read_fleet("clean")
    keys = ["entity", "category", "purchase_year"]
    a = got.groupby(keys, dropna=False)["quantity"].sum().sort_index()
    b = clean.groupby(keys, dropna=False)["quantity"].sum().sort_index()
    pd.testing.assert_series_equal(a, b)
    kwh = (got["quantity"] * got["yearly_kwh"]).sum()
    assert kwh == pytest.approx((clean["quantity"] * clean["yearly_kwh"]).sum(), rel=1e-12)
    assert set(got["quality"]) == {"high"}  # rows from an asset tool
    assert int(got["source_rows"].sum()) == int(got["quantity"].sum())  # one source row per asset
    assert len(got) < got["quantity"].sum()  # identical assets were grouped into lines


@pytest.mark.parametrize("tool", TOOLS)
def test_import_report_counts_equal_the_independent_counts(sandbox, tool):
    install(sandbox, tool)
    reports = read_fleet("fx").attrs["import_report"]
    got = {Path(r.file).name: r.as_summary() for r in reports}
    expected = json.loads((FIXTURES / tool / "expected_report.json").read_text())
    assert got == expected


def test_glpi_columns_recognised_and_ignored(sandbox):
    """GLPI's group-prefixed purchase date is found after its prefix; the name is the line's id, the serial number
    and the model are read as such (duplicates, screen sizes)."""
    install(sandbox, "glpi")
    report = next(r for r in read_fleet("fx").attrs["import_report"] if r.file.endswith("ordinateurs.csv"))
    assert report.columns["purchase_year"] == ("Informations financières et administratives - Date d'achat",
                                               "synonyme après préfixe")
    assert report.columns["line_id"] == ("Nom", "synonyme")
    assert report.columns["serial"] == ("Numéro de série", "synonyme")
    assert report.columns["model"] == ("Modèle", "synonyme")
    assert report.columns["status"] == ("Statut", "synonyme")
    assert {"Fabricant", "Lieu", "Dernière modification"} == {h for h, _ in report.ignored}
    # no quantity, quality or lifetime column: every kept asset took those defaults; laptops and desktops have a
    # category yearly kWh (categories.csv), so every kept computer took it too
    kept = report.rows_kept
    assert {k: report.defaults[k] for k in ("quantity", "quality", "lifetime_years", "yearly_kwh")} == {
        "quantity": kept, "quality": kept, "lifetime_years": kept, "yearly_kwh": kept}


def test_unknown_types_are_errors_in_strict_mode(sandbox):
    install(sandbox, "snipeit")
    with pytest.raises(InputError) as exc:
        read_fleet("fx", strict=True)
    lines = str(exc.value).splitlines()
    assert any("'Drones' (16×)" in line for line in lines)
    assert any("'Keyboards' (11×)" in line and "pas de facteur d'impact" in line for line in lines)


def test_chunks_give_the_same_fleet_as_one_read(sandbox):
    """Reading 7 rows at a time (identical lines then grouped again across chunks) changes nothing."""
    from helpers.io.factors import load_categories
    from helpers.io.inventory import inventory_sources, read_inventory
    from helpers.io.territory import load_territory

    install(sandbox, "glpi")
    args = (inventory_sources(paths.RAW_DIR / "fx"), load_territory("fx"), load_categories(), None)
    whole = read_inventory(*args)
    small = read_inventory(*args, chunk_rows=7)
    cols = ["line_id", "entity", "category", "quantity", "purchase_year", "source_rows", "yearly_kwh"]
    pd.testing.assert_frame_equal(whole[cols], small[cols])
    assert [r.as_summary() for r in whole.attrs["import_report"]] == [r.as_summary() for r in small.attrs["import_report"]]


def write_yaml(folder: Path, extra: str = "") -> None:
    (folder / "territory.yaml").write_text(
        (FIXTURES / "glpi" / "raw" / "territory.yaml").read_text(encoding="utf-8") + extra, encoding="utf-8")


def test_one_wrong_entity_on_3000_rows_is_one_error_line(sandbox):
    folder = sandbox / "raw" / "fx"
    folder.mkdir()
    write_yaml(folder)
    body = "".join(f"PC{i};Agglo du Val;Portable;12/03/2020\n" for i in range(3000))
    (folder / "inventory.csv").write_text("Nom;Entité;Type;Date d'achat\n" + body, encoding="utf-8")
    with pytest.raises(InputError) as exc:
        read_fleet("fx")
    lines = str(exc.value).splitlines()
    assert len(lines) == 2, lines  # the head line and one problem line
    line = lines[1]
    assert "3000 lignes (lignes 2, 3, 4, 5, 6, …)" in line and "'Agglo du Val' (3000×)" in line
    assert "entités les plus proches" in line and "cc (Communauté de communes du Val-de-Sèvre)" in line


def test_entities_by_name_alias_and_tree_path_ignoring_case_accents_punctuation(sandbox):
    from helpers.io.inventory import entity_key

    folder = sandbox / "raw" / "fx"
    folder.mkdir()
    write_yaml(folder)
    rows = ["communaute de communes du val de sevre", "CC DU VAL-DE-SÈVRE", "ccvs", "Racine > C.C.V.S.",
            "mairie", "MAIRIE DE SAINT AUBIN", "Écoles de Saint-Aubin", "ECOLES"]
    (folder / "inventory.csv").write_text(
        "Entité;Type\n" + "".join(f"{r};Portable\n" for r in rows), encoding="utf-8")
    got = read_fleet("fx")
    assert got.groupby("entity")["quantity"].sum().to_dict() == {"cc": 4, "mairie": 2, "ecoles": 2}
    assert entity_key("C.C.V.S.") == entity_key("ccvs") == "ccvs"


def test_aliases_are_validated_in_territory_yaml(sandbox):
    from helpers.io.territory import load_territory

    folder = sandbox / "raw" / "fx"
    folder.mkdir()
    write_yaml(folder)
    assert load_territory("fx").entities[0].aliases == ("CCVS", "CC du Val-de-Sèvre")
    text = (folder / "territory.yaml").read_text(encoding="utf-8").replace('aliases: ["CCVS", "CC du Val-de-Sèvre"]',
                                                                           "aliases: 12")
    (folder / "territory.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match="aliases"):
        load_territory("fx")


def test_unknown_status_is_one_error_listing_the_values_seen(sandbox):
    folder = sandbox / "raw" / "fx"
    folder.mkdir()
    write_yaml(folder)
    body = ("mairie;Portable;En service\n" * 3 + "mairie;Portable;Provisoire\n" * 4
            + "mairie;Portable;À vérifier\n" * 2)
    (folder / "inventory.csv").write_text("Entité;Type;Statut\n" + body, encoding="utf-8")
    with pytest.raises(InputError) as exc:
        read_fleet("fx")
    lines = str(exc.value).splitlines()[1:]
    assert len(lines) == 1, lines
    assert "6 lignes" in lines[0] and "'Provisoire' (4×)" in lines[0] and "'À vérifier' (2×)" in lines[0]
    assert "statuses:" in lines[0]
    # the territory maps them: "Provisoire" counted, "À vérifier" counted as in repair
    write_yaml(folder, 'statuses: {"Provisoire": in_service, "a verifier": in_repair, "En service": in_stock}\n')
    got = read_fleet("fx")
    assert got["quantity"].sum() == 6  # "En service" overridden as in stock: the 3 rows are excluded
    assert got.attrs["import_report"][0].excluded == {"in_stock": 3}


def test_template_example_row_refused_with_file_and_line(sandbox):
    folder = sandbox / "raw" / "fx"
    folder.mkdir()
    write_yaml(folder)
    (folder / "inventory.csv").write_text("line_id,entity,category,quantity\nA1,mairie,laptop,3\n"
                                          "EXEMPLE-L001,mairie,laptop,120\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        read_fleet("fx")
    [problem] = exc.value.problems
    assert (problem.file.rsplit("/", 1)[-1], problem.row) == ("inventory.csv", 3)
    assert "ligne d'exemple" in str(exc.value)


def test_several_visible_sheets_are_read_and_hidden_ones_skipped(sandbox):
    """A workbook with one sheet per item type: the sheet's name gives the category of an empty type."""
    from openpyxl import Workbook

    folder = sandbox / "raw" / "fx"
    (folder / "inventory").mkdir(parents=True)
    write_yaml(folder)
    wb = Workbook()
    ws = wb.active
    ws.title = "Ordinateurs"
    ws.append(["Entité", "Type", "Date d'achat"])
    for _ in range(4):
        ws.append(["mairie", "Portable", "2021-05-02"])
    screens = wb.create_sheet("Moniteurs")
    screens.append(["Entité", "Type", "Date d'achat"])
    for _ in range(3):
        screens.append(["mairie", "", "2020-01-15"])
    hidden = wb.create_sheet("Archives")
    hidden.append(["Entité", "Type", "Date d'achat"])
    hidden.append(["mairie", "Portable", "2010-01-01"])
    hidden.sheet_state = "hidden"
    wb.save(folder / "inventory" / "parc.xlsx")
    got = read_fleet("fx")
    assert got.groupby("category")["quantity"].sum().to_dict() == {"laptop": 4, "screen_small": 3}
    assert got.attrs["import_report"][0].rows_read == 7


def test_file_name_mapping_overridden_in_territory_yaml(sandbox):
    folder = sandbox / "raw" / "fx"
    (folder / "inventory").mkdir(parents=True)
    write_yaml(folder, 'inventory_files: {"postes*": thin_client}\n')
    (folder / "inventory" / "postes_legers.csv").write_text("Entité;Modèle\nmairie;Wyse 5070\nmairie;Wyse 5070\n",
                                                            encoding="utf-8")
    got = read_fleet("fx")
    assert got.loc[0, "category"] == "thin_client" and got.loc[0, "quantity"] == 2


def test_ingest_writes_the_import_report_and_summary_inputs(sandbox):
    """Summary mode (the notebook's mirror): ``import_report.csv`` and ``inputs`` in the ingest summary."""
    from helpers.run.study import compute_sections

    install(sandbox, "snipeit")
    out = sandbox / "processed" / "fx"
    compute_sections("fx", n_draws=200, processed_dir=out, sections=["ingest"])
    payload = json.loads((out / "summary_ingest.json").read_text())
    inputs = payload["top_level"]["inputs"]
    expected = json.loads((FIXTURES / "snipeit" / "expected_report.json").read_text())
    assert {Path(k).name: v for k, v in inputs.items()} == expected
    table = pd.read_csv(out / "import_report.csv", keep_default_na=False)
    excluded = table[table["item"] == "excluded"].set_index("key")["value"].astype(int).to_dict()
    assert excluded == expected["inventory.xlsx"]["excluded"]
    assert set(table["item"]) >= {"rows_read", "rows_kept", "excluded", "column", "ignored", "default"}
    from helpers.report.ingest import import_report_console, import_report_markdown

    detail = import_report_markdown(out)  # section 8
    assert "160 lignes lues, 80 conservées ; exclues : 10 acheté après l'année de référence" in detail
    assert "« Purchase Date » → `purchase_year` (synonyme)" in detail and "« Supplier »" in detail
    assert "quantité 1 par ligne (une ligne par équipement) (80 lignes)" in detail
    from helpers.io.ingest import IngestReport
    from helpers.report.ingest import import_report_sentence

    report = IngestReport(files=read_fleet("fx").attrs["import_report"])
    assert import_report_sentence(report) == (
        "Rapport d'import : 160 lignes lues dans 1 fichier, 80 conservées ; exclues : 10 acheté après l'année de "
        "référence, 15 statut « en stock », 2 statut « perdu », 9 statut « en attente / en commande », 17 statut "
        "« réformé / retiré », 16 type d'équipement inconnu, 11 type connu mais non modélisé (détail par fichier dans "
        "les annexes, « Rapport d'import des fichiers d'entrée » ; chaque ligne exclue dans tables.xlsx, feuille "
        "« Lignes exclues »).")
    console = import_report_console(out).splitlines()
    assert console[0] == "Rapport d'import :" and "160 lignes lues, 80 conservées" in console[1]


def test_a_power_rating_never_lowers_consumption_only_an_average_or_a_measure_does(sandbox):
    """Desktop default: 151 kWh/year (categories.csv, MiNumEco). A nameplate/PSU rating ('Puissance (W)', 250 or
    40 W) keeps 151; an explicit average power of 40 W gives 40 W × 7 h × 220 d / 1000 = 61.6 kWh (the data says
    so); a measured 90 kWh/year gives 90."""
    folder = sandbox / "raw" / "fx"
    folder.mkdir()
    write_yaml(folder)
    cases = {"none": ("Entité;Type\n", "mairie;Desktop\n"),
             "rated_high": ("Entité;Type;Puissance (W)\n", "mairie;Desktop;250\n"),
             "rated_low": ("Entité;Type;Puissance (W)\n", "mairie;Desktop;40\n"),
             "average": ("Entité;Type;Puissance moyenne (W)\n", "mairie;Desktop;40\n"),
             "measured": ("Entité;Type;Consommation annuelle\n", "mairie;Desktop;90\n")}
    kwh = {}
    for name, (header, row) in cases.items():
        (folder / "inventory.csv").write_text(header + row, encoding="utf-8")
        got = read_fleet("fx")
        kwh[name] = float(got.loc[0, "yearly_kwh"])
    assert kwh == pytest.approx({"none": 151, "rated_high": 151, "rated_low": 151, "average": 61.6, "measured": 90})
    assert got.attrs["import_report"][0].columns["yearly_kwh"][0] == "Consommation annuelle"


def test_a_power_rating_above_the_category_maximum_is_an_error(sandbox):
    folder = sandbox / "raw" / "fx"
    folder.mkdir()
    write_yaml(folder)
    (folder / "inventory.csv").write_text("Entité;Type;Puissance (W)\nmairie;Portable;900\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        read_fleet("fx")
    assert [(p.row, p.column) for p in exc.value.problems] == [(2, "rated_power_w")]


@pytest.mark.parametrize("extra,key", [('statuses: {"Prêté": lent_out}\n', "statuses"),
                                       ('inventory_files: {"postes*": pc_portable}\n', "inventory_files")])
def test_status_and_file_mappings_are_validated(sandbox, extra, key):
    """A status mapped to an unknown reason is refused when territory.yaml is read; a file pattern mapped to an
    unknown category when the inventory is read; both name the key."""
    folder = sandbox / "raw" / "fx"
    (folder / "inventory").mkdir(parents=True)
    write_yaml(folder, extra)
    (folder / "inventory" / "postes.csv").write_text("Entité\nmairie\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        read_fleet("fx")
    assert [p.column for p in exc.value.problems] == [key]


def test_glpi_export_gives_the_carbon_balance_of_the_hand_written_inventory(sandbox):
    """Ingest and carbon sections (summary mode, same seed) on the GLPI export and on its clean grouped twin: the
    same total, central value and interval (the Monte Carlo draws per category and quality, not per line)."""
    from helpers.run.study import compute_sections

    install(sandbox, "glpi")
    install_clean(sandbox, "glpi")
    totals = {}
    for slug in ("fx", "clean"):
        out = sandbox / "processed" / slug
        compute_sections(slug, n_draws=300, processed_dir=out, sections=["ingest", "carbon"])
        totals[slug] = json.loads((out / "summary_carbon.json").read_text())["data"]["total_tco2e"]
    assert totals["fx"] == totals["clean"]
    assert totals["fx"]["value"] > 0


def test_header_only_inventory_csv_beside_an_inventory_folder_is_ignored(sandbox):
    """The template's inventory.csv emptied of its example row, next to inventory/ exports: only the exports count."""
    from helpers.io.inventory import INVENTORY_SCHEMA, inventory_sources

    folder = install(sandbox, "glpi")
    (folder / "inventory.csv").write_text(",".join(INVENTORY_SCHEMA.names()) + "\n", encoding="utf-8")
    assert [p.parent.name for p in inventory_sources(folder)] == ["inventory"] * 5


def test_glpi_all_assets_view_item_type_decides_when_the_type_does_not(sandbox):
    """GLPI's 'All assets' list adds an 'Item type' column: a monitor or phone with an empty type takes the item
    type's family (like a file name), a computer with an empty type stays unknown."""
    folder = sandbox / "raw" / "fx"
    folder.mkdir()
    write_yaml(folder)
    rows = ["Monitor;;mairie", "Moniteur;LCD;mairie", "Phone;;mairie", "Computer;Portable;mairie", "Computer;;mairie",
            "Printer;;mairie"]
    (folder / "inventory.csv").write_text("Type d'élément;Type;Entité\n" + "\n".join(rows) + "\n", encoding="utf-8")
    got = read_fleet("fx")
    assert got.groupby("category")["quantity"].sum().to_dict() == {
        "screen_small": 2, "desk_phone_ip": 1, "laptop": 1, "printer": 1}
    assert got.attrs["import_report"][0].excluded == {"unknown_type": 1}
