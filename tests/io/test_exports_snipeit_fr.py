"""Asset exports as the tools write them (issue 30): Snipe-IT's French interface, headers of GLPI, OCS Inventory,
Snipe-IT and ServiceNow, statuses with badges, duplicates that are duplicates, every excluded line listed.

The Snipe-IT fixture (``fixtures/exports/snipeit_fr/``, written by ``make_fixtures.snipeit_fr`` from Snipe-IT's own
fr-FR language files and CSV export code) carries a look-alike header ("Catégorie" with a Cyrillic capital Es, U+0421,
for its C), statuses with the "Déployé" badge, three tags shared by distinct assets, a true duplicate (same serial), a
misspelt status and screen sizes in model names; its expected results (``expected.json``) are counted by hand.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from helpers.io import paths
from helpers.io.errors import InputError

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "exports" / "snipeit_fr"
EXPECTED = json.loads((FIXTURE / "expected.json").read_text(encoding="utf-8"))
EXPORT = "export-assets-2024-01-15.csv"


@pytest.fixture
def sandbox(tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "RAW_DIR", tmp_path / "raw")
    monkeypatch.setattr(paths, "PROCESSED_DIR", tmp_path / "processed")
    (tmp_path / "raw").mkdir()
    return tmp_path


def install(sandbox, slug: str = "fx") -> Path:
    folder = sandbox / "raw" / slug
    shutil.copytree(FIXTURE / "raw", folder)
    return folder


def read_fleet(slug: str = "fx", strict: bool = False) -> pd.DataFrame:
    from helpers.io.factors import load_categories
    from helpers.io.inventory import inventory_sources, read_inventory
    from helpers.io.territory import load_territory

    return read_inventory(inventory_sources(paths.RAW_DIR / slug), load_territory(slug), load_categories(), None,
                          strict=strict)


def write(folder: Path, text: str, name: str = "inventory.csv") -> None:
    (folder / name).write_text(text, encoding="utf-8")


def territory_folder(sandbox, yaml: str | None = None) -> Path:
    folder = sandbox / "raw" / "fx"
    folder.mkdir()
    (folder / "territory.yaml").write_text(yaml or (FIXTURE / "raw" / "territory.yaml").read_text(encoding="utf-8"),
                                           encoding="utf-8")
    return folder


# --- the Snipe-IT French-interface export, counted by hand -------------------------------------------------------


def test_snipeit_french_export_gives_the_hand_counted_fleet_and_report(sandbox):
    install(sandbox)
    got = read_fleet()
    [report] = got.attrs["import_report"]
    assert report.as_summary() == EXPECTED["report"]
    fleet = got.groupby(["entity", "category"])["quantity"].sum()
    assert {f"{e}|{c}": int(n) for (e, c), n in fleet.items()} == EXPECTED["fleet"]
    assert report.refined == EXPECTED["refined"]
    assert report.defaults["purchase_year"] == EXPECTED["undated"]


def test_snipeit_french_headers_are_recognised_even_with_a_look_alike_letter(sandbox):
    """"Catégorie" with a Cyrillic Es (U+0421) for its C, as stored in Snipe-IT's fr-FR general.php, is the category
    column, and the import report says which character was replaced; "Série " (trailing space, trimmed by the reader)
    the serial; "Compagnie" the entity."""
    install(sandbox)
    [report] = read_fleet().attrs["import_report"]
    header, how = report.columns["category"]
    assert header == "\u0421atégorie" and "U+0421" in how
    assert {k: report.columns[k][0] for k in ("entity", "line_id", "asset_tag", "serial", "model", "status",
                                              "purchase_year")} == {
        "entity": "Compagnie", "line_id": "Nom de l'actif", "asset_tag": "Étiquette de l'actif", "serial": "Série",
        "model": "Modèle", "status": "Statut", "purchase_year": "Date d'achat"}
    assert {h for h, _ in report.ignored} == {"Extrait vers", "Lieu"}  # never also "absent"


def test_every_excluded_line_is_listed_with_the_value_that_decided(sandbox):
    from helpers.io.inventory import REASON_FR, excluded_lines_table

    install(sandbox)
    table = excluded_lines_table(read_fleet().attrs["import_report"])
    expected = [(line, REASON_FR[reason], value) for line, reason, value in EXPECTED["excluded_lines"]]
    assert list(zip(table["line"], table["reason"], table["value"], strict=True)) == expected
    assert set(table["file"].str.rsplit("/", n=1).str[-1]) == {EXPORT}
    duplicate = table[table["line"] == 21].iloc[0]
    assert duplicate["column"] == "Série" and duplicate["detail"] == f"même numéro de série que la ligne 15 de {EXPORT}"
    late = table[table["line"] == 12].iloc[0]  # the column as the export names it
    assert (late["column"], late["detail"]) == ("Date d'achat", "après l'année de référence 2023")


def test_tags_shared_by_distinct_assets_are_counted_with_a_warning_listing_the_lines(sandbox):
    install(sandbox)
    got = read_fleet()
    [shared] = [w for w in got.attrs["warnings"] if w.column == "asset_tag"]  # one warning for the file
    assert shared.severity == "warning" and shared.count == 6
    assert "3 numéros sont portés par des équipements différents" in shared.expected
    assert "chacun est compté" in shared.expected
    listed = " ; ".join(f"« {tag} » lignes {a} et {b}" for tag, (a, b) in EXPECTED["shared_tags"].items())
    assert shared.expected.endswith(listed)


def test_a_misspelt_status_is_read_as_the_closest_with_a_warning_naming_both(sandbox):
    install(sandbox)
    [warning] = [w for w in read_fleet().attrs["warnings"] if w.column == "status"]
    assert warning.value == "En réparaton" and warning.rows == (9,)
    assert "lu comme « en reparation » (en réparation, compté)" in warning.expected and "statuses:" in warning.expected


def test_the_import_report_console_annex_and_workbook_list_the_excluded_lines(sandbox):
    """ingest writes excluded_lines.csv; the console names the rejected values and the first lines; the annex shows
    them in a table; tables.xlsx has a « Lignes exclues » sheet with French headers."""
    from openpyxl import load_workbook

    from helpers.io.factors import load_factors
    from helpers.io.territory import load_territory
    from helpers.report.ingest import import_report_console, import_report_markdown
    from helpers.run.pipeline import _write_tables
    from helpers.run.study import compute_sections

    install(sandbox)
    out = sandbox / "processed" / "fx"
    compute_sections("fx", n_draws=200, processed_dir=out, sections=["ingest"])
    listed = pd.read_csv(out / "excluded_lines.csv", keep_default_na=False)
    assert list(listed["line"]) == [line for line, _, _ in EXPECTED["excluded_lines"]]
    console = import_report_console(out)
    assert "28 lignes lues, 20 conservées" in console
    assert "type d'équipement inconnu : 'Drones'" in console and "type connu mais non modélisé : 'Claviers'" in console
    assert f"\n  - {EXPORT}, ligne 21 : doublon (même équipement qu'une ligne précédente) (Série 'SN2013') ; même " \
           "numéro de série que la ligne 15" in console
    assert "6 écrans classés par la taille lue dans le nom du modèle" in console
    assert "Avertissements :" in console and "« INV-0012 » lignes 13 et 14 ; « INV-0020 » lignes 22 et 23" in console
    assert "lu comme « en reparation »" in console
    annex = import_report_markdown(out)
    assert "8 lignes de l'inventaire sont exclues ou fusionnées" in annex and "<td>Drones</td>" not in annex
    assert "<td>\u0421atégorie : Drones</td>" in annex and "Lignes interprétées" in annex
    assert f"<caption>Lignes exclues de l&#x27;inventaire ({EXPORT})</caption>" in annex
    outputs = sandbox / "outputs"
    outputs.mkdir()
    _write_tables(out, outputs, load_factors(), load_territory("fx"))
    sheet = load_workbook(outputs / "tables.xlsx", read_only=True)["Lignes exclues"]
    rows = list(sheet.values)
    assert rows[0] == ("Fichier", "Ligne du fichier", "Motif", "Colonne qui a décidé (telle qu'écrite)",
                       "Valeur qui a décidé", "Détail")
    assert [r[1] for r in rows[1:]] == [line for line, _, _ in EXPECTED["excluded_lines"]]


def test_the_page_sends_the_reader_to_the_annex_not_to_part_8(sandbox):
    from helpers.io.ingest import IngestReport
    from helpers.report.ingest import import_report_sentence

    install(sandbox)
    sentence = import_report_sentence(IngestReport(files=read_fleet().attrs["import_report"]))
    assert "partie 8" not in sentence and "annexes" in sentence and "« Lignes exclues »" in sentence


# --- headers as each tool writes them -----------------------------------------------------------------------------

#: Header lines taken from each tool's language files and export code, and the column each header must feed.
TOOL_HEADERS = {
    # GLPI 10, French (labels observed in real exports, asset-exports.md §1.4); group prefix on the purchase date
    "glpi_fr": ('"Nom";"Entité";"Statut";"Type";"Modèle";"Lieu";"Utilisateur";"Numéro d\'inventaire";'
                '"Informations financières et administratives - Numéro d\'immobilisation";"Numéro de série";'
                '"Informations financières et administratives - Date d\'achat";',
                {"line_id": "Nom", "entity": "Entité", "status": "Statut", "category": "Type", "model": "Modèle",
                 "asset_tag": "Numéro d'inventaire", "serial": "Numéro de série",
                 "purchase_year": "Informations financières et administratives - Date d'achat"}),
    # GLPI, English: search option names of src/Computer.php (__('Serial number'), __('Inventory number')…)
    "glpi_en": ('"Name";"Entity";"Status";"Type";"Model";"Location";"Inventory number";"Serial number";'
                '"Financial and administrative information - Date of purchase";"Item type";',
                {"line_id": "Name", "entity": "Entity", "status": "Status", "category": "Type", "model": "Model",
                 "asset_tag": "Inventory number", "serial": "Serial number", "item_type": "Item type",
                 "purchase_year": "Financial and administrative information - Date of purchase"}),
    # OCS Inventory ocsreports, French: ms_all_computers.php columns, labels of plugins/language/fr_FR/fr_FR.txt
    # (46, 24, 25, 64, 36, 65, 2132), the administrative TAG used as entity
    "ocs_fr": ("Dernier inventaire;NAME;Utilisateur connecté;Systeme;Fabricant;BIOS Numéro de série;Modèle;"
               "Catégorie d'Actifs;TAG;",
               {"line_id": "NAME", "serial": "BIOS Numéro de série", "model": "Modèle",
                "category": "Catégorie d'Actifs", "entity": "TAG"}),
    "ocs_en": ("Last inventory;NAME;Connected user;Operating system;Manufacturer;BIOS Serial number;Model;"
               "Assets category;TAG;",
               {"line_id": "NAME", "serial": "BIOS Serial number", "model": "Model", "category": "Assets category",
                "entity": "TAG"}),
    # Snipe-IT, French: AssetPresenter columns titled from resources/lang/fr-FR (general.php, admin/hardware/*.php,
    # admin/models/table.php), "Catégorie" with its Cyrillic Es (U+0421), "Série " with its trailing space
    "snipeit_fr": ("ID,Compagnie,\"Nom de l'actif\",\"Étiquette de l'actif\",\"Série \",Modèle,\"Modèle n°.\","
                   "\u0421atégorie,Statut,\"Extrait vers\",Lieu,\"Emplacement par défaut\",Fabricant,Fournisseur,"
                   "\"Date d'achat\",Âge,\"Prix d'achat\",\"Numéro de commande\",Garantie,\"Expiration de garantie\"",
                   {"line_id": "ID", "entity": "Compagnie", "asset_tag": "Étiquette de l'actif", "serial": "Série ",
                    "model": "Modèle", "category": "\u0421atégorie", "status": "Statut",
                    "purchase_year": "Date d'achat"}),
    # Snipe-IT, English: resources/lang/en-US
    "snipeit_en": ("ID,Company,\"Asset Name\",\"Asset Tag\",Serial,Model,\"Model No.\",Category,Status,"
                   "\"Checked Out To\",Location,\"Default Location\",Manufacturer,Supplier,\"Purchase Date\",Age,"
                   "\"Purchase Cost\"",
                   {"line_id": "ID", "entity": "Company", "asset_tag": "Asset Tag", "serial": "Serial",
                    "model": "Model", "category": "Category", "status": "Status", "purchase_year": "Purchase Date"}),
    # ServiceNow list export to CSV: field names (cmdb_ci_computer / alm_hardware; asset-exports.md §3)
    "servicenow_csv": ("name,asset_tag,serial_number,sys_class_name,chassis_type,model_id,install_status,company,"
                       "location,assigned_to,purchase_date",
                       {"line_id": "name", "asset_tag": "asset_tag", "serial": "serial_number",
                        "item_type": "sys_class_name", "category": "chassis_type", "model": "model_id",
                        "status": "install_status", "entity": "company", "purchase_year": "purchase_date"}),
    # ServiceNow list export to Excel: field labels of the hardware asset form (ServiceNow docs, "Asset record
    # fields": Display name, Model category, Model, Asset tag, Serial number, State, Company)
    "servicenow_xlsx": ("Display name,Model category,Model,Asset tag,Serial number,State,Company,Assigned to",
                        {"line_id": "Display name", "category": "Model category", "model": "Model",
                         "asset_tag": "Asset tag", "serial": "Serial number", "status": "State",
                         "entity": "Company"}),
}


@pytest.mark.parametrize("tool", list(TOOL_HEADERS))
def test_tool_headers_feed_the_columns_the_import_uses(tool):
    from helpers.io.inventory import INVENTORY_SCHEMA
    from helpers.io.readers import sniff_separator
    from helpers.io.tables import map_header

    line, expected = TOOL_HEADERS[tool]
    import csv

    header = next(csv.reader([line], delimiter=sniff_separator(line)))
    hmap, problems = map_header(header, INVENTORY_SCHEMA, "export.csv")
    assert not [p for p in problems if p.severity == "error"]
    assert {column: hmap.how[column][0] for column in expected} == expected
    assert "quantity" not in hmap.how  # one line per asset


@pytest.mark.parametrize("header", ["Quantité", "QTÉ", "Quantity", "quantity", "Qté"])
def test_quantity_headers_of_the_tools(header):
    """Snipe-IT fr-FR general.quantity "Quantité" and general.qty "QTÉ", ServiceNow's "Quantity"."""
    from helpers.io.inventory import INVENTORY_SCHEMA
    from helpers.io.tables import map_header

    hmap, _ = map_header(["Type", header], INVENTORY_SCHEMA, "f.csv")
    assert hmap.how["quantity"][0] == header


@pytest.mark.parametrize("header", ["Cat\u00e9gorie\u00a0", "\u200bStatut", "Date d\u2019achat", "\uff34ype",
                                    "\u0395ntit\u00e9", "Num\u00e9ro d\u2019inventaire"])
def test_headers_are_compared_after_compatibility_normalisation_and_look_alike_folding(header):
    """No-break space, zero-width space, typographic apostrophe, full-width letter, Greek capital Epsilon."""
    from helpers.io.inventory import INVENTORY_SCHEMA
    from helpers.io.tables import map_header

    hmap, problems = map_header([header], INVENTORY_SCHEMA, "f.csv")
    assert len(hmap.how) == 1 and not problems, (hmap, problems)


def test_a_header_typo_is_named_in_the_absent_column_message(sandbox):
    """A column listed as ignored never also reports a bare "colonne absente": the message names the look-alike."""
    folder = territory_folder(sandbox)
    write(folder, "Compagnie;Catégoire;Statut\nVille de Saint-Aubin;Ordinateurs portables;Déployé\n")
    with pytest.raises(InputError) as exc:
        read_fleet()
    [problem] = exc.value.problems
    assert problem.column == "category" and "« Catégoire » lui ressemble" in problem.expected
    assert "(vide)" not in str(exc.value)


# --- statuses as tools export them --------------------------------------------------------------------------------


@pytest.mark.parametrize("value,reason,how", [
    ("Ready to Deploy", "in_stock", "exact"),
    ("Ready to Deploy Deployed", "in_service", "badge"),  # Snipe-IT en-US, a checked-out asset
    ("Ready to Deploy Déployé", "in_service", "badge"),  # Snipe-IT fr-FR badge after an English label
    ("  Prêt à être déployé   Déployé ", "in_service", "badge"),
    ("Prêt à être déployé (Jean Dupont)", "in_service", "assignment"),
    ("En réparation (Jean Dupont)", "in_repair", "assignment"),
    ("Perdu/Volé", "lost", "exact"),
    ("Pending", "on_order", "exact"),  # pending apart from stock
    ("En Attente", "on_order", "exact"),
    ("Deployed", "in_service", "exact"),
    ("En servise", "in_service", "exact|close=en service"),
    ("Hors service", "retired", "exact"),  # not read as "en service"
    ("Au rebut Déployé", "scrapped", "badge"),  # a badge never brings a scrapped asset back
    ("Provisoire", None, ""),
])
def test_statuses_as_tools_export_them(value, reason, how):
    from helpers.io.inventory import load_statuses, resolve_status

    assert resolve_status(value, load_statuses()) == (reason, how)


def test_a_status_between_two_known_ones_is_not_guessed():
    from helpers.io.inventory import resolve_status

    statuses = {"en stock": "in_stock", "en stack": "lost"}  # equally close, different meanings
    assert resolve_status("en stick", statuses) == (None, "")


# --- model names refine the category ------------------------------------------------------------------------------


@pytest.mark.parametrize("model,size", [
    ("Dell P2722H", 27), ("P2422H", 24), ("Dell UltraSharp U3423WE", 34), ("iiyama ProLite XU2493HS", 24),
    ('Samsung 27" S27R350', 27), ("Écran 23,8 pouces", 23.8), ("HP E24 G5", 24), ("HP P24h G4", 24),
    ("Lenovo ThinkVision T24i-20", 24), ("LG 27UL500-W", 27), ("AOC 24B2XH", 24), ("Philips 243V7QDSB", 24),
    ("Samsung LS27A600", 27), ("Moniteur générique", None), ("Latitude 5420", None), ("EliteDesk 800 G4", None),
    ("ThinkPad T14", None), (None, None),
])
def test_screen_size_read_from_the_model_name(model, size):
    from helpers.io.inventory import screen_size_from_model

    assert screen_size_from_model(model) == size


def test_model_size_refines_only_screens_whose_type_does_not_give_the_size(sandbox):
    folder = territory_folder(sandbox)
    write(folder, "Compagnie;Type;Modèle;Taille\n"
                  "Ville de Saint-Aubin;Moniteurs;Dell P2722H;\n"  # 27 from the model: large
                  "Ville de Saint-Aubin;écran 24 pouces;Dell P2722H;\n"  # the type gives the size: small
                  "Ville de Saint-Aubin;Moniteurs;Dell P2722H;22\n"  # a size column wins: small
                  "Ville de Saint-Aubin;Portable;Dell P2722H;\n")  # not a screen: laptop
    got = read_fleet()
    assert got.groupby("category")["quantity"].sum().to_dict() == {"laptop": 1, "screen_large": 1, "screen_small": 2}
    assert got.attrs["import_report"][0].refined == {"screen_size_from_model": 1}


# --- duplicates that are duplicates -------------------------------------------------------------------------------


def test_duplicates_are_the_same_serial_or_the_same_line_with_an_identifier(sandbox):
    folder = territory_folder(sandbox)
    write(folder, "Compagnie;Type;Numéro d'inventaire;Numéro de série\n"
                  "Ville de Saint-Aubin;Portable;T1;S1\n"  # 2
                  "Ville de Saint-Aubin;Desktop;T2;S1\n"  # 3 same serial as 2: a duplicate, whatever the rest
                  "Ville de Saint-Aubin;Portable;T3;\n"  # 4
                  "Ville de Saint-Aubin;Portable;T3;\n"  # 5 the same line word for word: a duplicate
                  "Ville de Saint-Aubin;Desktop;T3;\n"  # 6 same tag, another asset: counted, warned
                  "Ville de Saint-Aubin;Portable;;\n"  # 7 no identifier
                  "Ville de Saint-Aubin;Portable;;\n")  # 8 identical, no identifier: a quantity of 2
    got = read_fleet()
    [report] = got.attrs["import_report"]
    assert report.excluded == {"duplicate": 2}
    assert got.groupby("category")["quantity"].sum().to_dict() == {"desktop": 1, "laptop": 4}
    lines = report.excluded_lines()
    assert list(zip(lines["line"], lines["detail"], strict=True)) == [
        (3, "même numéro de série que la ligne 2 de inventory.csv"),
        (5, "mêmes valeurs dans toutes les colonnes que la ligne 4 de inventory.csv")]
    [shared] = [w for w in got.attrs["warnings"] if w.column == "asset_tag"]
    assert shared.expected.endswith("« T3 » lignes 4 et 6") and shared.rows == (4, 6)


def test_a_serial_repeated_in_another_file_is_a_duplicate_across_files(sandbox):
    folder = territory_folder(sandbox)
    (folder / "inventory").mkdir()
    write(folder / "inventory", "Compagnie;Type;Numéro de série\nVille de Saint-Aubin;Portable;S9\n", "a.csv")
    write(folder / "inventory", "Compagnie;Type;Numéro de série\nVille de Saint-Aubin;Portable;S9\n", "b.csv")
    got = read_fleet()
    assert got["quantity"].sum() == 1
    lines = pd.concat([r.excluded_lines() for r in got.attrs["import_report"]])
    assert list(lines["detail"]) == ["même numéro de série que la ligne 2 de a.csv"]


def test_duplicates_and_shared_tags_across_chunks_are_the_same_as_in_one_read(sandbox):
    from helpers.io.factors import load_categories
    from helpers.io.inventory import inventory_sources, read_inventory
    from helpers.io.territory import load_territory

    install(sandbox)
    args = (inventory_sources(paths.RAW_DIR / "fx"), load_territory("fx"), load_categories(), None)
    whole, small = read_inventory(*args), read_inventory(*args, chunk_rows=4)
    assert [r.as_summary() for r in whole.attrs["import_report"]] == [r.as_summary() for r in small.attrs["import_report"]]
    def shared(df):
        return [(w.expected, w.count, w.rows) for w in df.attrs["warnings"] if w.column == "asset_tag"]

    assert shared(small) == shared(whole) and len(shared(whole)) == 1


# --- messages that say what went wrong ----------------------------------------------------------------------------


def test_an_inventory_missing_its_first_column_is_an_error_saying_the_columns_are_shifted(sandbox):
    """The header has line_id, the rows do not: every value sits one column left, quantities under 'category'."""
    folder = territory_folder(sandbox)
    write(folder, "line_id,entity,category,quantity,purchase_year\nville,laptop,100,2019\nville,desktop,40,2020\n")
    with pytest.raises(InputError) as exc:
        read_fleet()
    lines = str(exc.value).splitlines()[1:]
    assert len(lines) == 1, lines  # the shift only: not the unknown entities 'laptop', 'desktop' it causes
    assert lines[0].startswith("  - ") and "avertissement" not in lines[0]  # an error, not a warning
    assert "valeurs trouvées : '100', '40'" in lines[0] and "décalées d'un cran" in lines[0]
    assert "la colonne « category » (category) contient des nombres" in lines[0]


def test_a_header_missing_a_name_is_an_error_saying_the_columns_are_shifted(sandbox):
    folder = territory_folder(sandbox)
    write(folder, "entity,category,quantity\nL1,ville,laptop,100\nL2,ville,desktop,40\n")
    with pytest.raises(InputError) as exc:
        read_fleet()
    assert "décalées d'un cran" in str(exc.value) and "un nom de colonne manque" in str(exc.value)


def test_a_decimal_comma_cut_in_two_suggests_quotes_or_semicolons(sandbox):
    from helpers.io.tables import split_decimal

    assert split_decimal(["Licences", "1", "19 M€", "2023"]) == ("1", "19 M€")
    assert split_decimal(["Licences", "2023", "ville"]) is None
    folder = territory_folder(sandbox)
    write(folder, "entity,category,quantity,comment\nville,laptop,12,coût 1,19 M€\nville,desktop,3,neuf\n")
    with pytest.raises(InputError) as exc:
        read_fleet()
    text = str(exc.value)
    assert "ligne 2" in text and "au plus 4 cellules" in text
    assert "« coût 1 » puis « 19 M€ » : un nombre à virgule décimale coupé en deux ?" in text
    assert '"coût 1,19 M€"' in text and "séparateur « ; »" in text


def test_glpi_root_entity_is_the_only_entity():
    from helpers.io.inventory import match_entities

    got = match_entities(pd.Series(["Entité racine", "Root entity", "Autre"]), {"ville": "ville"})
    assert got.tolist() == ["ville", "ville", None]
    two = match_entities(pd.Series(["Entité racine"]), {"ville": "ville", "ccas": "ccas"})
    assert two.tolist() == [None]  # with two entities the root says nothing


def test_dates_in_snipeit_display_formats():
    from helpers.io.tables import dates_to_year

    values = pd.Series(["2021.03.15.", "Mar 15, 2021", "Mon Mar 15, 2021", "15 Mar, 2021", "15 mars 2021",
                        "1er janvier 2020", "Lot 12 2020"])
    assert dates_to_year(values).tolist()[:6] == [2021, 2021, 2021, 2021, 2021, 2020]
    assert np.isnan(dates_to_year(values).iat[6])


@pytest.mark.parametrize("name,category", [
    ("Bornes Wi-Fi", "wifi_access_point"), ("Points d'accès Wi-Fi", "wifi_access_point"),
    ("Imprimantes multifonctions", "mfp_copier"), ("Téléphones IP", "desk_phone_ip"), ("Écrans 27 pouces", "screen_large"),
    ("Stations de travail", "desktop"), ("Pare-feux", "firewall"), ("Stations d'accueil", "unmodelled"),
    ("Laptops", "laptop"), ("Drones", None),
])
def test_category_names_in_the_plural_as_snipeit_category_lists_write_them(name, category):
    from helpers.io.factors import load_categories
    from helpers.io.inventory import _plural, load_category_synonyms, load_export_synonyms

    known = list(load_categories()["category"])
    assert _plural(name, known, {**load_export_synonyms(), **load_category_synonyms()}) == category


def test_a_tag_shared_across_files_names_the_first_file(sandbox):
    folder = territory_folder(sandbox)
    (folder / "inventory").mkdir()
    head = "Compagnie;Type;Numéro d'inventaire;Numéro de série\n"
    write(folder / "inventory", head + "Ville de Saint-Aubin;Portable;T7;S1\n", "a.csv")
    write(folder / "inventory", head + "Ville de Saint-Aubin;Moniteurs;T7;S2\n", "b.csv")
    got = read_fleet()
    assert got["quantity"].sum() == 2
    [shared] = [w for w in got.attrs["warnings"] if w.column == "asset_tag"]
    assert shared.file.endswith("b.csv") and shared.expected.endswith("« T7 » ligne 2 de a.csv et ligne 2")


def test_the_excluded_lines_sheet_stays_within_excel_rows(sandbox, monkeypatch):
    """Past a sheet's capacity the sheet keeps the first lines and the Lisez-moi says where the rest is."""
    from openpyxl import load_workbook

    from helpers.io.factors import load_factors
    from helpers.io.territory import load_territory
    from helpers.run import pipeline
    from helpers.run.study import compute_sections

    install(sandbox)
    out = sandbox / "processed" / "fx"
    compute_sections("fx", n_draws=200, processed_dir=out, sections=["ingest"])
    monkeypatch.setattr(pipeline, "XLSX_MAX_DATA_ROWS", 3)
    outputs = sandbox / "outputs"
    outputs.mkdir()
    pipeline._write_tables(out, outputs, load_factors(), load_territory("fx"))
    wb = load_workbook(outputs / "tables.xlsx", read_only=True)
    assert len(list(wb["Lignes exclues"].values)) == 1 + 3
    [note] = [r[1] for r in wb["Lisez-moi"].values if r[0] == "Lignes exclues"]
    assert "Les 3 premières lignes sur 8 ; toutes dans data/processed/fx/excluded_lines.csv." in note
