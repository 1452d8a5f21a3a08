"""The territory's open data (issue 35): the optional files of the état des lieux of digital uses, as their producers
publish them, with schemas and strict readers.

- ``communes.csv``: population and households by commune (INSEE, base du comparateur de territoires or dossier
  complet: ``CODGEO``, ``LIBGEO``, ``P20_POP``, ``P20_MEN``…);
- ``establishments.csv``: establishments and salaried jobs by sector (INSEE CLAP or FLORES by commune and sector,
  or the SIRENE stock of establishments as downloaded: ``codeCommuneEtablissement``,
  ``activitePrincipaleEtablissement``, ``trancheEffectifsEtablissement``, ``etatAdministratifEtablissement``);
- ``schools.csv``: pupils by school (Éducation nationale, « Effectifs d'élèves par école » and the collèges' and
  lycées' files: ``Numéro de l'école``, ``Nombre total d'élèves``…);
- ``connectivity.csv``: premises and fibre eligibility by commune (Arcep, « Ma connexion internet »,
  ``commune_techno.csv``: ``code_insee``, ``nom_com``, ``nbr``, ``elig_ftth``), and the fixed accesses and SIM cards
  when the collectivity has them from operators;
- ``datacentres.csv``: the data centres located on the territory (name, commune, IT power or floor area);
- ``digital_fragility.csv``: the digital-fragility index by commune (Indice de fragilité numérique, MedNum / ANSA:
  score from 1 to 10, or base 100 in its first version).

Every file is optional; each reader reports every problem of the file at once (line, column, what was expected, in
French) through :func:`helpers.io.tables.read_table`, which bounds size, rows and columns like the other inputs.
The computation on these tables is :mod:`helpers.model.territory_actors`.
"""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np
import pandas as pd

from helpers.io.carbon_inputs import _finish, _read
from helpers.io.errors import InputProblem, display_path
from helpers.io.tables import Column, Schema

_YEARS = ("22", "21", "20", "19", "18", "17", "16")

COMMUNE_COLUMN = Column(
    "commune", "str", required=True,
    synonyms=("codgeo", "code_insee", "code_commune", "code_geographique", "code_commune_insee", "com", "depcom",
              "code_insee_de_la_commune", "codecommuneetablissement", "insee_com", "code"),
    description="INSEE code of the commune (5 characters, e.g. 17300), or SIREN of the EPCI (9 digits) for a file at "
                "the level of the intercommunality", example="17300",
    label_fr="le code INSEE de la commune (5 caractères, par ex. 17300) ou le SIREN de l'EPCI (9 chiffres)")
NAME_COLUMN = Column("name", "str", synonyms=("libgeo", "libelle", "libelle_geographique", "nom_commune", "nom_com",
                                              "nom", "commune_nom"),
                     description="name of the commune", example="La Rochelle")

COMMUNES_SCHEMA = Schema(
    file="communes.csv",
    description=(
        "Optional: population and households by commune of the territory, as INSEE publishes them (base du "
        "comparateur de territoires, dossier complet: CODGEO, LIBGEO, P20_POP, P20_MEN). The households make the "
        "households' line of the territory's footprint local."
    ),
    unique=("commune",),
    columns=(
        COMMUNE_COLUMN, NAME_COLUMN,
        Column("population", "float", required=True, min=0, max=3_000_000, unit="inhabitants",
               synonyms=tuple(f"p{y}_pop" for y in _YEARS) + ("pmun", "population_municipale", "pop",
                                                               "population_totale", "ptot"),
               description="population of the commune (census)", example=78000,
               label_fr="un nombre d'habitants entre 0 et 3 000 000"),
        Column("households", "float", required=True, min=0, max=2_000_000, unit="households",
               synonyms=tuple(f"p{y}_men" for y in _YEARS) + ("menages", "nombre_de_menages", "nb_menages",
                                                               "men"),
               description="households of the commune (census: occupied main residences)", example=42000,
               label_fr="un nombre de ménages entre 0 et 2 000 000"),
        Column("comment", "str", synonyms=("commentaire",), description="free text: source, vintage", example=""),
    ),
)

ESTABLISHMENTS_SCHEMA = Schema(
    file="establishments.csv",
    description=(
        "Optional: establishments and salaried jobs by sector, as INSEE publishes them: one row per commune and "
        "sector (CLAP, FLORES) or one row per establishment (the SIRENE stock: codeCommuneEtablissement, "
        "activitePrincipaleEtablissement, trancheEffectifsEtablissement, etatAdministratifEtablissement). The sector "
        "is a NAF code of any level (section letter, A17/A38 code such as GZ or C1, division or sub-class such as "
        "62.01Z); jobs are a number or a SIRENE band (e.g. 12 = 20 to 49 employees), taken at the middle of the band "
        "with its bounds as the interval. Closed establishments (status F) are left out."
    ),
    columns=(
        replace(COMMUNE_COLUMN, required=False),
        Column("sector", "str", required=True,
               synonyms=("activiteprincipaleetablissement", "naf", "code_naf", "ape", "code_ape", "a17", "a38", "a21",
                         "a88", "secteur", "secteur_d_activite", "activite_principale", "naf_rev2", "na17", "na38"),
               description="NAF code: section letter (G), A17/A38 code (GZ, C1) or sub-class (47.11F)",
               example="47.11F", label_fr="un code NAF (lettre de section, code A17/A38 ou sous-classe, par ex. 47.11F)"),
        Column("establishments", "float", min=0, max=1_000_000, default=1.0,
               synonyms=("etablissements", "nb_etablissements", "nombre_d_etablissements", "etab", "nb_etab"),
               description="number of establishments of the row (default 1: one row per establishment)", example=1),
        Column("employees", "float", min=0, max=1_000_000, unit="salaried jobs",
               synonyms=("salaries", "effectif", "effectifs", "effectif_salarie", "postes_salaries", "postes",
                         "nb_salaries", "emplois_salaries", "ens"),
               description="salaried jobs of the row", example=12),
        Column("employees_band", "str",
               synonyms=("trancheeffectifsetablissement", "tranche_effectifs", "tranche_d_effectif_salarie",
                         "tranche_effectif", "tefet", "tranche"),
               description="SIRENE band of salaried jobs (NN, 00, 01, 02, 03, 11, 12, 21, 22, 31, 32, 41, 42, 51, "
                           "52, 53), used when employees is empty", example="11"),
        Column("status", "str", synonyms=("etatadministratifetablissement", "etat_administratif", "etat"),
               description="SIRENE status: A (active) or F (closed, left out)", example="A"),
        Column("comment", "str", synonyms=("commentaire",), description="free text", example=""),
    ),
)

SCHOOLS_SCHEMA = Schema(
    file="schools.csv",
    description=(
        "Optional: pupils by school, as the Éducation nationale publishes them (« Effectifs d'élèves par école », "
        "the collèges' and lycées' files: Numéro de l'école / UAI, Dénomination principale, Nombre total "
        "d'élèves). One row per school or establishment of the territory."
    ),
    columns=(
        Column("school_id", "str", synonyms=("numero_de_l_ecole", "uai", "numero_uai", "identifiant_de_l_etablissement",
                                             "code_uai", "numero_ecole"),
               description="UAI number of the school", example="0170001A"),
        Column("name", "str", synonyms=("denomination_principale", "nom_de_l_etablissement", "nom_etablissement",
                                        "patronyme", "appellation_officielle", "nom_ecole", "ecole"),
               description="name of the school", example="École élémentaire Jean Macé"),
        Column("commune", "str", synonyms=COMMUNE_COLUMN.synonyms + ("commune", "libelle_commune", "nom_commune"),
               description="INSEE code or name of the commune", example="17300"),
        Column("sector", "str", synonyms=("secteur", "secteur_public_prive", "statut_public_prive"),
               description="public or private", example="Public"),
        Column("school_year", "str", synonyms=("rentree_scolaire", "annee_scolaire", "rentree", "annee"),
               description="school year of the count (the latest is kept when the file holds several)",
               example="2020"),
        Column("pupils", "float", required=True, min=0, max=10_000, unit="pupils",
               synonyms=("nombre_total_d_eleves", "effectif_total", "eleves", "nombre_d_eleves", "effectifs",
                         "nombre_d_eleves_total", "nb_eleves", "effectif"),
               description="pupils of the school", example=230, label_fr="un nombre d'élèves entre 0 et 10 000"),
        Column("comment", "str", synonyms=("commentaire",), description="free text", example=""),
    ),
)

CONNECTIVITY_SCHEMA = Schema(
    file="connectivity.csv",
    description=(
        "Optional: fixed connectivity by commune as Arcep publishes it (« Ma connexion internet », "
        "commune_techno.csv: code_insee, nom_com, nbr = premises, elig_ftth = premises eligible to fibre), and, "
        "when the collectivity has them from operators, the fixed accesses and SIM cards of the territory (they "
        "make the network lines local)."
    ),
    columns=(
        COMMUNE_COLUMN, NAME_COLUMN,
        Column("date", "str", synonyms=("date_donnees", "trimestre", "periode"),
               description="date of the Arcep data (the latest is kept when several)", example="2020-12-31"),
        Column("premises", "float", min=0, max=3_000_000, unit="premises",
               synonyms=("nbr", "locaux", "nb_locaux", "nombre_de_locaux"),
               description="premises (dwellings and business premises)", example=52000),
        Column("ftth_premises", "float", min=0, max=3_000_000, unit="premises",
               synonyms=("elig_ftth", "locaux_ftth", "locaux_eligibles_ftth", "ftth", "locaux_raccordables_ftth"),
               description="premises eligible to fibre to the home", example=48000),
        Column("thd_premises", "float", min=0, max=3_000_000, unit="premises",
               synonyms=("elig_thd30", "locaux_thd", "eligibles_thd30"),
               description="premises eligible to 30 Mbit/s or more (commune_debit.csv)", example=""),
        Column("fixed_accesses", "float", min=0, max=3_000_000, unit="accesses",
               synonyms=("lignes_fixes", "abonnements_fixes", "acces_fixes", "acces_internet_fixes"),
               description="fixed internet accesses (operators' data)", example=""),
        Column("sim_cards", "float", min=0, max=10_000_000, unit="SIM cards",
               synonyms=("lignes_mobiles", "cartes_sim", "abonnements_mobiles"),
               description="SIM cards in service (operators' data)", example=""),
        Column("comment", "str", synonyms=("commentaire",), description="free text", example=""),
    ),
)

DATACENTRES_SCHEMA = Schema(
    file="datacentres.csv",
    description=(
        "Optional: the data centres located on the territory (colocation, enterprise, public), with their IT power "
        "(kW) or, failing that, their floor area (m²). They make the data-centre line local: the national "
        "footprint per MW (or m²) installed (ADEME–Arcep: 1,606 MW, 904,000 m²)."
    ),
    unique=("name",),
    columns=(
        Column("name", "str", required=True, synonyms=("nom", "centre_de_donnees", "datacenter", "site"),
               description="name of the data centre", example="DC Atlantique", label_fr="le nom du centre de données"),
        Column("commune", "str", synonyms=COMMUNE_COLUMN.synonyms + ("commune", "ville"),
               description="INSEE code or name of its commune", example="17300"),
        Column("operator", "str", synonyms=("operateur", "exploitant"), description="operator", example=""),
        Column("it_power_kw", "float", min=0, max=500_000, unit="kW",
               synonyms=("puissance_it_kw", "puissance_kw", "puissance_informatique_kw", "it_kw"),
               description="IT power installed", example=500),
        Column("floor_area_m2", "float", min=0, max=500_000, unit="m2",
               synonyms=("surface_m2", "surface", "surface_salle_m2"),
               description="floor area of the IT rooms, used when the power is not known", example=""),
        Column("comment", "str", synonyms=("commentaire", "source"), description="free text: source", example=""),
    ),
)

FRAGILITY_SCHEMA = Schema(
    file="digital_fragility.csv",
    description=(
        "Optional: the digital-fragility index by commune (Indice de fragilité numérique, MedNum / ANSA, "
        "fragilite-numerique.fr): a score from 1 (low risk) to 10 (high risk), or base 100 (national average) in "
        "its first version. Shown as an inclusion indicator beside the territory's footprint."
    ),
    unique=("commune",),
    columns=(
        COMMUNE_COLUMN, NAME_COLUMN,
        Column("score", "float", required=True, min=0, max=1000,
               synonyms=("score_global", "indice", "ifn", "indice_de_fragilite_numerique", "score_ifn",
                         "global_score", "fragilite"),
               description="the commune's score (1 to 10, or base 100)", example=5.2,
               label_fr="un score entre 0 et 10 (ou base 100)"),
        Column("population", "float", min=0, max=3_000_000,
               synonyms=("pop", "p20_pop", "p19_pop", "p21_pop", "pmun"),
               description="population used to weight the mean (default: communes.csv)", example=""),
        Column("comment", "str", synonyms=("commentaire",), description="free text", example=""),
    ),
)

#: SIRENE bands of salaried jobs (INSEE, trancheEffectifsEtablissement): code -> (low, high); NN and 00 no employee
SIRENE_BANDS: dict[str, tuple[float, float]] = {
    "NN": (0, 0), "00": (0, 0), "01": (1, 2), "02": (3, 5), "03": (6, 9), "11": (10, 19), "12": (20, 49),
    "21": (50, 99), "22": (100, 199), "31": (200, 249), "32": (250, 499), "41": (500, 999), "42": (1000, 1999),
    "51": (2000, 4999), "52": (5000, 9999), "53": (10000, 20000),
}

#: A17 codes spanning several NAF sections (INSEE nomenclature agrégée): kept as they are
A17_RANGES: tuple[str, ...] = ("DE", "MN", "OQ", "RU")

#: NAF rev. 2 divisions (two digits) -> section letter
_DIVISION_SECTIONS: tuple[tuple[int, int, str], ...] = (
    (1, 3, "A"), (5, 9, "B"), (10, 33, "C"), (35, 35, "D"), (36, 39, "E"), (41, 43, "F"), (45, 47, "G"),
    (49, 53, "H"), (55, 56, "I"), (58, 63, "J"), (64, 66, "K"), (68, 68, "L"), (69, 75, "M"), (77, 82, "N"),
    (84, 84, "O"), (85, 85, "P"), (86, 88, "Q"), (90, 93, "R"), (94, 96, "S"), (97, 98, "T"), (99, 99, "U"),
)


def naf_section(code) -> str | None:
    """The NAF rev. 2 section letter of a sector code of any level, or None when it is not one: ``"G"``, an A17/A38
    code (``"GZ"``, ``"C1"``, ``"OQ"`` → its first letter), a division or sub-class (``"62"``, ``"62.01Z"``,
    ``"6201Z"`` → ``"J"``)."""
    text = re.sub(r"\s", "", str(code or "")).upper()
    if not text:
        return None
    if text in A17_RANGES:  # an A17 code spanning several sections keeps its own code
        return text
    if re.fullmatch(r"[A-U]([A-Z0-9])?", text):
        return text[0]
    m = re.match(r"(\d{2})\.?\d{0,2}[A-Z]?$", text)
    if m:
        div = int(m.group(1))
        for lo, hi, section in _DIVISION_SECTIONS:
            if lo <= div <= hi:
                return section
    return None


def _rows(df: pd.DataFrame, mask) -> list[int]:
    return [int(x) for x in df.loc[mask, "_line"]]


def _problem(file, df, mask, column, expected, severity="error") -> list[InputProblem]:
    """One grouped problem for the rows of ``mask`` (empty when none)."""
    lines = _rows(df, mask)
    if not lines:
        return []
    values = df.loc[mask, column] if column in df else pd.Series([None])
    value = values.iloc[0]
    value = None if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA else value
    return [InputProblem(file, lines[0], column, value, expected, severity=severity, count=len(lines),
                         rows=tuple(lines[:5]))]


def _commune_problems(df: pd.DataFrame, file: str, required: bool = True) -> list[InputProblem]:
    code = df["commune"].astype("string").str.strip()
    bad = code.notna() & ~code.str.fullmatch(r"(\d{5}|\d{9}|2[AB]\d{3})").fillna(False)
    out = _problem(file, df, bad.to_numpy(), "commune", COMMUNE_COLUMN.label_fr)
    if required:
        out += _problem(file, df, code.isna().to_numpy(), "commune", COMMUNE_COLUMN.label_fr)
    return out


def read_communes(path) -> pd.DataFrame:
    """Read ``communes.csv`` (:data:`COMMUNES_SCHEMA`): INSEE code, name, population and households of each commune;
    households above the population are an error."""
    df, problems, report = _read(path, COMMUNES_SCHEMA)
    file = display_path(path)
    df["commune"] = df["commune"].astype("string").str.strip().str.zfill(5)
    problems += _commune_problems(df, file)
    over = (df["households"] > df["population"]).fillna(False).to_numpy()
    problems += _problem(file, df, over, "households", "au plus la population de la commune")
    return _finish(df, problems, report)


def read_establishments(path) -> pd.DataFrame:
    """Read ``establishments.csv`` (:data:`ESTABLISHMENTS_SCHEMA`) and add ``section`` (NAF section letter),
    ``employees_low`` and ``employees_high``; SIRENE bands give the middle of the band and its bounds; closed
    establishments (status F) are dropped with a note."""
    df, problems, report = _read(path, ESTABLISHMENTS_SCHEMA)
    file = display_path(path)
    if df["commune"].notna().any():
        df["commune"] = df["commune"].astype("string").str.strip().str.zfill(5)
        problems += _commune_problems(df, file, required=False)
    df["section"] = [naf_section(v) for v in df["sector"]]
    problems += _problem(file, df, df["section"].isna().to_numpy() & df["sector"].notna().to_numpy(), "sector",
                         ESTABLISHMENTS_SCHEMA.columns[1].label_fr)
    band = df["employees_band"].astype("string").str.strip().str.upper().str.zfill(2)
    if band.notna().any():  # the SIRENE stock: an empty band is an establishment without employee information
        blank = df["employees"].isna() & band.isna()
        if blank.any():
            problems.append(InputProblem(file, None, "employees_band", None, f"{int(blank.sum())} établissement(s) "
                                         "sans tranche d'effectif : comptés sans salarié", severity="warning",
                                         kind="note"))
            band = band.mask(blank, "NN")
    known = band.isin(list(SIRENE_BANDS)).fillna(False)
    use_band = df["employees"].isna() & band.notna()
    problems += _problem(file, df, (use_band & ~known).to_numpy(), "employees_band",
                         f"une tranche d'effectif SIRENE parmi {', '.join(SIRENE_BANDS)}")
    problems += _problem(file, df, (df["employees"].isna() & band.isna()).to_numpy(), "employees",
                         "un nombre d'emplois salariés, ou une tranche d'effectif (colonne employees_band)")
    lo = band.map(lambda b: SIRENE_BANDS.get(b, (np.nan, np.nan))[0] if isinstance(b, str) else np.nan)
    hi = band.map(lambda b: SIRENE_BANDS.get(b, (np.nan, np.nan))[1] if isinstance(b, str) else np.nan)
    df["employees_low"] = df["employees"].where(df["employees"].notna(), lo.astype(float))
    df["employees_high"] = df["employees"].where(df["employees"].notna(), hi.astype(float))
    df["employees"] = df["employees"].where(df["employees"].notna(), (lo.astype(float) + hi.astype(float)) / 2)
    closed = df["status"].astype("string").str.strip().str.upper().eq("F").fillna(False).to_numpy()
    if closed.any():
        problems.append(InputProblem(file, None, "status", "F", f"{int(closed.sum())} établissement(s) fermé(s) "
                                     "(état F) laissé(s) de côté", severity="warning", kind="note"))
        df = df[~closed]
    if not len(df):
        problems.append(InputProblem(file, None, None, None, "au moins un établissement actif"))
    return _finish(df, problems, report)


def jobs_by_section(establishments: pd.DataFrame) -> pd.DataFrame:
    """Establishments and salaried jobs per NAF section (``section, establishments, employees, employees_low,
    employees_high``)."""
    cols = ["establishments", "employees", "employees_low", "employees_high"]
    return establishments.groupby("section", as_index=False)[cols].sum().sort_values("section").reset_index(drop=True)


def read_schools(path) -> pd.DataFrame:
    """Read ``schools.csv`` (:data:`SCHOOLS_SCHEMA`): one row per school with its pupils; a school number given
    twice is an error."""
    df, problems, report = _read(path, SCHOOLS_SCHEMA)
    file = display_path(path)
    if df["school_year"].notna().any() and df["school_year"].nunique() > 1:
        latest = df["school_year"].max()
        problems.append(InputProblem(file, None, "school_year", latest, f"{df['school_year'].nunique()} rentrées : "
                                     f"seule la plus récente ({latest}) est retenue", severity="warning", kind="note"))
        df = df[df["school_year"] == latest]
    ids = df["school_id"].astype("string").str.strip()
    dup = (ids.notna() & ids.duplicated(keep="first")).to_numpy()
    problems += _problem(file, df, dup, "school_id", "un numéro d'école (UAI) une seule fois : une ligne par école")
    return _finish(df, problems, report)


def read_connectivity(path) -> pd.DataFrame:
    """Read ``connectivity.csv`` (:data:`CONNECTIVITY_SCHEMA`): one row per commune (the latest ``date`` kept when
    the file holds several quarters); fibre-eligible premises above the premises are an error; each row needs
    premises, fixed accesses or SIM cards."""
    df, problems, report = _read(path, CONNECTIVITY_SCHEMA)
    file = display_path(path)
    df["commune"] = df["commune"].astype("string").str.strip().str.zfill(5)
    problems += _commune_problems(df, file)
    if df["date"].notna().any() and df["date"].nunique() > 1:
        latest = df["date"].max()
        problems.append(InputProblem(file, None, "date", latest, f"{df['date'].nunique()} dates : seule la plus "
                                     f"récente ({latest}) est retenue", severity="warning", kind="note"))
        df = df[df["date"] == latest]
    dup = df["commune"].duplicated(keep="first").to_numpy()
    problems += _problem(file, df, dup, "commune", "une ligne par commune")
    for col in ("ftth_premises", "thd_premises"):
        over = (df[col] > df["premises"]).fillna(False).to_numpy()
        problems += _problem(file, df, over, col, "au plus le nombre de locaux (premises) de la commune")
    empty = df[["premises", "fixed_accesses", "sim_cards"]].isna().all(axis=1).to_numpy()
    problems += _problem(file, df, empty, None, "des locaux (nbr), des accès fixes ou des cartes SIM sur la ligne")
    return _finish(df, problems, report)


def read_datacentres(path) -> pd.DataFrame:
    """Read ``datacentres.csv`` (:data:`DATACENTRES_SCHEMA`); each data centre needs its IT power or its floor
    area."""
    df, problems, report = _read(path, DATACENTRES_SCHEMA)
    file = display_path(path)
    empty = (df["it_power_kw"].isna() & df["floor_area_m2"].isna()).to_numpy()
    problems += _problem(file, df, empty, "it_power_kw", "la puissance informatique en kW ou, à défaut, la surface "
                         "en m² (floor_area_m2)")
    return _finish(df, problems, report)


def read_fragility(path) -> pd.DataFrame:
    """Read ``digital_fragility.csv`` (:data:`FRAGILITY_SCHEMA`); a file whose scores mix the 1–10 scale and the base
    100 is an error."""
    df, problems, report = _read(path, FRAGILITY_SCHEMA)
    file = display_path(path)
    df["commune"] = df["commune"].astype("string").str.strip().str.zfill(5)
    problems += _commune_problems(df, file)
    s = df["score"]
    if (s <= 10).any() and (s > 20).any():
        problems += _problem(file, df, (s > 10).fillna(False).to_numpy(), "score",
                             "des scores sur une seule échelle : de 1 à 10, ou base 100 (première version de l'indice)")
    return _finish(df, problems, report)
