"""Build data/raw/reference/{factors,categories,hosting_kinds,factor_exclusions}.csv from cited values.

Every number below is typed from the cited source (or derived from such numbers by the formula shown), so the CSV
files can be regenerated and reviewed. Run: .venv/bin/python tools/build_reference_factors.py
"""
from __future__ import annotations

import csv
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "data" / "raw" / "reference"

UNITS = {"climate_change": "kgCO2e", "adp_minerals": "kgSbeq", "adp_fossil": "MJ",
         "ionising_radiation": "kBq U235eq", "particulate_matter": "disease incidence",
         "acidification": "mol H+eq", "water": "m3", "final_energy": "kWh"}
ACT = {"unit": "unit", "kwh": "kWh", "gb": "GB", "eur": "EUR", "ream": "ream", "page": "page",
       "m2_year": "m2/year", "subscription_month": "subscription/month", "user_year": "user/year"}

# ------------------------------------------------------------------------------------------------ sources
S_TERM = "incubateur-ademe/publicodes-acv-numerique:src/acv-terminaux.publicodes@3c5a0a51df50"
S_DC = "incubateur-ademe/publicodes-acv-numerique:src/data center.publicodes@4441d9c657a8"
S_TRANS = ("incubateur-ademe/publicodes-acv-numerique:src/transmission.publicodes@70676e47ea3c "
           "(values as quoted in shared/reference/domain-facts.md §4.3)")
S_MIX = "incubateur-ademe/publicodes-acv-numerique:src/mixs-IEA.publicodes@d99c9554eb41"
S_COMMUN = ("incubateur-ademe/publicodes-commun:src/commun.publicodes@735ccda (git history as quoted in "
            "shared/reference/domain-facts.md §4.2)")
S_IMPACTCO2 = "incubateur-ademe/impactco2:src/data/categories/numerique.json@00ff7a278bc1"
S_NEGA = ("ADEME Base IMPACTS / NegaOctet device data (https://base-impacts.ademe.fr/documents/negaoctet.zip) as "
          "transcribed in Boavizta/boaviztapi:boaviztapi/data/crowdsourcing/ademe_base_impacts_negaoctet.csv"
          "@7c452d1c7f3f and boaviztapi/data/factors.yml@067c8c05026e")
S_MIXB = ("ADEME Base IMPACTS electricity mixes (reference year 2011) as transcribed in "
          "Boavizta/boaviztapi:boaviztapi/data/crowdsourcing/electrical_mix.csv@854b3864ea78")
S_CO2JS = "thegreenwebfoundation/co2.js:src/data/average-intensities.min.js@27cbe8328aea (Ember annual averages)"
S_EFD = "Boavizta/environmental-footprint-data:boavizta-data-us.csv@004e04397cdb"
S_MINUMECO_BP6 = ("DISIC/MiNumEco:publications/impact-bonnes-pratiques/"
                  "bonne-pratique-6-Organiser-Environnement-De-Travail.md")
S_AGEC = ("AGEC art. 13 transitional ADEME method, https://www.generation-nt.com/"
          "internet-fixe-mobile-empreinte-carbonne-facture-actualite-1996355.html")
S_BC_SERVICES = ("ADEME Base Carbone documentation 'Achat de services', "
                 "https://prod-basecarbonesolo.ademe-dri.fr/documentation/UPLOAD_DOC_FR/achat_de_services.htm")
V_NEGA = "ADEME-NegaOctet 2022"
V_NEGA_B = "ADEME Base IMPACTS NegaOctet (boaviztapi transcription)"

rows: list[dict] = []
exclusions: list[dict] = []


def fmt(x: float) -> str:
    return "0" if x == 0 else f"{x:.6g}"


def add(item, phase, criterion, value, activity, low, high, source, vintage, status, note="",
        distribution="lognormal", correlation_group=""):
    rows.append(dict(
        factor_id=f"{item}:{phase}:{criterion}", item=item, phase=phase, criterion=criterion,
        value=fmt(value), unit=f"{UNITS[criterion]}/{ACT[activity]}", activity_unit=activity,
        low=fmt(low), high=fmt(high), distribution=distribution, source=source, vintage=vintage,
        status=status, note=note, correlation_group=correlation_group))


def geo(value, factor):
    """x/÷ factor interval around value (symmetric in log space, suits a lognormal with median = value)."""
    return value / factor, value * factor


def exclude(item, criterion, value, unit, source, reason):
    exclusions.append(dict(item=item, criterion=criterion, source_value=fmt(value), unit=unit, source=source,
                           reason=reason))


# ------------------------------------------------------------------------------------------------ devices: climate
DEV_REL = 1.25
DEV_NOTE = ("interval x/÷1.25 (about ±20 %) derived from the median gwp_error_ratio 0.20 of manufacturer PCFs "
            "(Boavizta/environmental-footprint-data, column 'Error')")
SIDE_REL = 1.5
SIDE_NOTE = "interval x/÷1.5 assumed: generic transport / end-of-life scenario"


def device_climate(item, manuf, distri, eol, *, source=S_TERM, vintage=V_NEGA, status="sourced", note="",
                   rel=DEV_REL, rel_note=DEV_NOTE, extra_low=None, extra_high=None, side_status=None,
                   side_note=SIDE_NOTE, side_rel=SIDE_REL, distribution="lognormal"):
    lo, hi = geo(manuf, rel)
    if extra_low is not None:
        lo = min(lo, extra_low)
    if extra_high is not None:
        hi = max(hi, extra_high)
    add(item, "manufacturing", "climate_change", manuf, "unit", lo, hi, source, vintage, status,
        "; ".join(x for x in (note, rel_note) if x), distribution=distribution)
    for phase, v in (("distribution", distri), ("end_of_life", eol)):
        if v is not None:
            lo, hi = geo(v, side_rel)
            add(item, phase, "climate_change", v, "unit", lo, hi, source, vintage, side_status or status, side_note)


# The lognormal is symmetric in log space around its median: to contain an alternative value the library cites
# (MiNumEco: manufacturing of a computer 212-296 kg; smartphone 50-57 kg, domain-facts §4.1), the factor of the
# interval is max(1.25, alternative / value) on both sides (issue 18: intervals that contain the cited alternatives).
S_MINUMECO_BP1 = ("DISIC/MiNumEco:content/ressources/documents-reference/impact-bonnes-pratiques/"
                  "bonne-pratique-1-allonger-duree-vie-materiel.md")
device_climate("laptop", 170.0, 12.3, 2.79, rel=296.0 / 170.0,
               rel_note=f"interval x/÷{296 / 170:.3f} so that its 97.5th percentile is MiNumEco's 296 kg for the "
                        f"manufacturing of a computer (212-296 kg, {S_MINUMECO_BP1}); manufacturer PCFs of laptops "
                        "are often 200-300 kg",
               note="ADEME 'ordinateur portable' (14.6-inch, 11 GB RAM, 497 GB SSD); older vintage 170.3 "
                    "(impactco2 numerique.json)")
device_climate("desktop", 203.0, 1.85, 6.61, rel=296.0 / 203.0,
               rel_note=f"interval x/÷{296 / 203:.3f} so that its 97.5th percentile is MiNumEco's 296 kg for the "
                        f"manufacturing of a computer (212-296 kg, {S_MINUMECO_BP1}); contains the consumer desktop "
                        "259 kg",
               note="ADEME 'ordinateur fixe pro' (professional, no screen, 8 GB RAM, 1 TB HDD + 256 GB SSD); "
                    "older vintage 202.6")
# thin client: Dell Wyse PCFs, manufacturing = total x manufacturing share (11 models, Aug 2018, EU use)
_wyse = [70 * .59, 63 * .59, 86 * .48, 89 * .45, 100 * .42, 115 * .57, 103 * .44, 106 * .43, 122 * .37,
         94 * .48, 108 * .43]
_wyse_sorted = sorted(_wyse)
_thin = _wyse_sorted[len(_wyse_sorted) // 2]
device_climate("thin_client", round(_thin, 1), None, None, source=S_EFD, vintage="Dell PCFs 2018",
               status="derived", rel=1.5, rel_note="interval x/÷1.5 (observed 37-66 kg across the models)",
               note=f"median over 11 Dell Wyse thin-client PCFs of total x manufacturing share "
                    f"(range {min(_wyse):.0f}-{max(_wyse):.0f} kg); manufacturer PAIA method, not NegaOctet; "
                    "distribution and end of life not given separately (absent)")
device_climate("screen_small", 64.6, 1.29, 3.95,
               note="ADEME 'écran' (24-inch average, 98.6 % LCD); manufacturer PCFs of 24-inch monitors "
                    "(Dell, Lenovo in Boavizta data) are 3-5x higher: method difference, see data log")
_r27 = 390.15 / 346.8  # Boavizta generic monitor model, 27-inch vs 24-inch
device_climate("screen_large", 64.6 * _r27, 1.29 * _r27, 3.95 * _r27, status="derived",
               source=f"{S_TERM}; size ratio from {S_EFD} (Generic 'Standard 27/24 inches monitor')",
               rel=1.4, rel_note="interval x/÷1.4 (derived value)",
               note=f"ADEME 24-inch screen x {_r27:.3f}, the 27-inch/24-inch ratio of Boavizta's generic monitor "
                    "model (390.15 / 346.8 kgCO2e)")
device_climate("smartphone", 77.0, 2.27, 0.246, rel=77.0 / 50.0,
               rel_note=f"interval x/÷{77 / 50:.3f} so that its 2.5th percentile is MiNumEco's 50 kg (smartphone "
                        f"50-57 kg, {S_MINUMECO_BP1}); contains the older ADEME vintage 83 kg",
               note="ADEME 'smartphone' (6.61-inch, 7.3 GB RAM, 180 GB); older vintage 83 kg (impactco2)")
device_climate("feature_phone", 23.3, None, 0.1, source=S_IMPACTCO2, vintage="ADEME 5226 (2022)",
               rel=1.5, rel_note="interval x/÷1.5 assumed (single configuration)",
               note="ADEME 'téléphone basique' (construction 23.3 kg, end of life 0.1 kg); no distribution value")
device_climate("tablet", 80.5, 3.43, 0.364, extra_low=56.3,
               note="ADEME 'tablette' (10.44-inch, 4 GB RAM, 121 GB); older vintage 56.3 kg (impactco2) "
                    "sets the low end")
device_climate("desk_phone_ip", 30.0, 1.0, 0.5, status="assumption", rel=2.5,
               rel_note="interval x/÷2.5 (no source)", side_rel=3,
               side_note="ASSUMPTION: distribution and end of life taken at a few % of manufacturing, as for the "
                         "ADEME devices; interval x/÷3",
               note="ASSUMPTION: no open per-device value found; set between ADEME basic phone (23.3 kg) and "
                    "internet box (60.8 kg), devices of comparable PCB area with a small screen and no battery")
device_climate("printer", 50.0, 2.5, 4.0, status="assumption", source=(
    f"{S_TERM} (consumer printer 10.5 kg); https://newsroom.lexmark.com/newsreleases?item=23716 ; "
    "https://paperzz.com/doc/8200688/product-environmental-aspects-declaration"),
    vintage="assumption 2026", rel=2.2, rel_note="interval x/÷2.2 covers the ADEME consumer printer (10.5 kg)",
    side_rel=3, side_note="assumption: ~5 % (distribution) and ~8 % (end of life) of manufacturing as in the "
                          "MFP declarations; interval x/÷3",
    note="ASSUMPTION for an office laser printer (~12.5 kg): ~4 kgCO2e per kg of product, the order of magnitude "
         "of the manufacturing stage in the Lexmark X646 LCA (7 % of ~2.7 t) and the Konica Minolta / Canon MFP "
         "declarations; the ADEME 'imprimante' value (10.5 kg) is a consumer inkjet")
device_climate("mfp_copier", 450.0, 45.0, 60.0, status="assumption", source=(
    "https://paperzz.com/doc/8200688/product-environmental-aspects-declaration (Konica Minolta EcoLeaf AD-16-E720: "
    "raw material 750 + production 132 kg, distribution 68, disposal 33); "
    "http://www.jetiserv.com/myBloggie/index.php?mode=viewid&post_id=479 (Canon colour MFP CFP: 900 + 100 kg, "
    "distribution 43, end of life 130); "
    "http://businessdocbox.com/Green_Solutions/91387238-Product-environmental-aspects-declaration.html (65 ppm: "
    "total 2,274, use 1,680)"),
    vintage="manufacturer declarations 2012-2016", rel=2.3,
    rel_note="interval x/÷2.3 (about 195-1035 kg) covers the declared large machines (555-1000 kg) and an A4 MFP",
    side_rel=2, side_note="assumption from the declarations (distribution 43-68 kg, end of life 33-130 kg); x/÷2",
    note="ASSUMPTION for an office A3 colour MFP (30-45 ppm): scaled down from declarations of larger machines "
         "(manufacturing 555-1000 kg for 65-95 ppm production-class copiers)")
device_climate("video_projector", 39.2, 1.32115, 3.26, rel=1.5,
               rel_note="interval x/÷1.5: ADEME value from unpublished SONUM work",
               note="ADEME 'videoprojecteur' (data transmitted by ADEME SONUM, not yet in Base Empreinte)")
device_climate("interactive_display", 650.0, 7.0, 25.0, status="assumption",
               source=f"{S_TERM} (TV 48-inch average: 325 / 3.26 / 11.9 kg)", vintage="assumption 2026",
               rel=2, rel_note="interval x/÷2", side_rel=2, side_note="assumption scaled like manufacturing, x/÷2",
               note="ASSUMPTION for a 65-75-inch interactive flat panel (TBI/ENI): ADEME TV (48-inch, 325 kg) scaled "
                    "by screen area (x1.8-2.4, taken x2) for the panel, touch layer and embedded computer")
device_climate("tv_display", 325.0, 3.26, 11.9, extra_low=152.0, extra_high=372.6 * 1.25,
               note="ADEME 'TV' (mix 45-68-inch, 86.7 % LCD) used for signage screens; triangular interval, low "
                    "end: NegaOctet professional TV 152 kg (Base IMPACTS transcription); high end: older vintage "
                    "372.6 kg x1.25", distribution="triangular")
device_climate("internet_box", 60.8, 0.61, 1.63,
               note="ADEME 'box' (xDSL/FTTx modem-router, personal and professional use)")
_dc_note = ("ADEME usage-calculator value (construction, 5-year life); phase not split by the source: all "
            "assigned to manufacturing")
device_climate("switch", 367.0, None, None, source=S_DC, rel=2, rel_note="interval x/÷2: one value for "
               "configurations from 24-port access switches to data-centre switches",
               note=_dc_note + "; data-centre switch, likely high for small office switches")
# office (edge) switch: no open PCF of an access switch in the stored sources; bounded below by ADEME's internet box
# (60.8 kg, a small network device with routing and a power supply) and above by ADEME's data-centre switch (367 kg);
# lognormal median at their geometric mean, so the two sourced values are the 2.5th and 97.5th percentiles
_sw_lo, _sw_hi = 60.8, 367.0
device_climate("switch_office", round((_sw_lo * _sw_hi) ** 0.5, 1), None, None, status="assumption",
               source=f"{S_TERM} (box 60.8 kg); {S_DC} (switch 367 kg)", vintage="assumption 2026",
               rel=(_sw_hi / _sw_lo) ** 0.5,
               rel_note="interval = the two sourced bounds (ADEME internet box 60.8 kg, ADEME data-centre switch 367 kg)",
               note="ASSUMPTION: office 24-48-port access switch (floor or wiring closet), between a box and a "
                    "data-centre switch: geometric mean of the two ADEME values; replace with the manufacturer's PCF")
device_climate("wifi_access_point", 50.0, None, None, status="assumption", source=f"{S_TERM} (box 60.8 kg)",
               vintage="assumption 2026", rel=2.5, rel_note="interval x/÷2.5 (no source)",
               note="ASSUMPTION: no open value found; an enterprise PoE access point is taken slightly below the ADEME "
                    "internet box (60.8 kg, which adds routing and a power supply)")
device_climate("firewall", 355.0, None, None, source=S_DC, rel=2, rel_note="interval x/÷2 (configurations vary)",
               note=_dc_note)
device_climate("router", 41.2, None, None, source=S_DC, rel=2, rel_note="interval x/÷2 (configurations vary)",
               note=_dc_note)
device_climate("server", 748.0, None, None, source=S_DC, rel=2.5,
               rel_note="interval x/÷2.5 (299-1870 kg) covers the Dell PowerEdge PCFs (total x manufacturing share, "
                        "2019: 1,150-1,310 kg for common 1-2U servers); the NegaOctet server of Base IMPACTS "
                        "(3,660 kg, a heavier configuration) stays outside",
               note=_dc_note + "; 367 W average (Borderstep), 400 W active")
# storage array: Boavizta component factors (factors.yml): HDD 31.11 per unit, rack case 150 per unit, power supply
# 24.3 per kg (about 3 kg each), motherboard 66.1 per unit
_storage = 12 * 31.11 + 150.0 + 2 * 24.3 * 3.0 + 2 * 66.1
device_climate("storage_array", round(_storage), None, None, status="assumption",
               source=f"{S_DC} (stockage 144 kg, 6 W); Boavizta/boaviztapi:boaviztapi/data/factors.yml@067c8c05026e "
                      "(component factors)", vintage="assumption 2026",
               rel=3, rel_note="interval x/÷3 (235-2112 kg); the ADEME single storage unit (144 kg) is below it",
               note=f"ASSUMPTION: 12-drive array with 2 controllers = 12 x 31.11 (HDD) + 150 (rack case) + "
                    f"2 x 24.3 x 3 kg (PSU) + 2 x 66.1 (controller boards) = {_storage:.0f} kgCO2e; the ADEME "
                    "'stockage' value (144 kg at 6 W) probably describes a single storage unit")

# ------------------------------------------------------------------------------------------------ devices: other criteria
# NegaOctet/Base IMPACTS 'embedded' totals (one value per device, not split by phase): assigned to manufacturing and
# scaled by r = ADEME manufacturing climate value / transcription GWP so each device keeps one consistent profile.
NEGA = {  # item: (row label, GWP, ADPe, ADPf, AP, IR, PM, WU, LU)
    "laptop": ("Laptop,pro", 181, 8.60e-3, 2.41e3, 1.04, 73.6, 6.08e-6, -812, -56.0),
    "tablet": ("Tablet", 75.9, 3.75e-3, 1.00e3, 0.465, 32.4, 2.62e-6, -84.6, -1.34),
    "smartphone": ("Smartphone", 84.0, 2.05e-3, 1.11e3, 0.480, 13.7, 2.70e-6, -107, -2.27),
    "desktop": ("Desktop,pro", 277, 8.52e-3, 5.11e3, 1.55, 870, 9.60e-6, -4490, -101),
    "screen_small": ("Monitor", 64.7, 1.08e-2, 1.30e3, 0.382, 145, 2.57e-6, -640, -101),
    "tv_display": ("Television,perso", 360, 3.83e-2, 6.61e3, 2.38, 960, 1.39e-5, -920, -339),
    "internet_box": ("Box", 36.1, 4.41e-5, 525, 0.179, 135, 1.27e-6, -422, -46.3),
    "server": ("Server", 3660, 3.78e-2, 5.15e4, 19.7, 2320, 1.13e-4, -3710, -147),
}
ADEME_MANUF = {r["item"]: float(r["value"]) for r in rows
               if r["phase"] == "manufacturing" and r["criterion"] == "climate_change"}
CRIT_REL = 2.0
for item, (label, gwp, adpe, adpf, ap, ir, pm, wu, lu) in NEGA.items():
    r = ADEME_MANUF[item] / gwp
    base = (f"NegaOctet '{label}' embedded total (not split by phase), assigned to manufacturing and scaled by "
            f"r = {ADEME_MANUF[item]:g} / {gwp:g} = {r:.3f} (ADEME manufacturing climate value / transcription GWP); "
            f"interval x/÷{CRIT_REL:g} assumed (EF indicators less robust than GWP)")
    if item == "desktop":
        base += "; the 'Desktop,perso' and 'Desktop,pro' rows of the transcription are identical"
    for crit, v in (("adp_minerals", adpe), ("adp_fossil", adpf), ("acidification", ap),
                    ("ionising_radiation", ir), ("particulate_matter", pm)):
        if item == "internet_box" and crit == "adp_minerals":
            exclude(item, crit, v, "kgSbeq/unit", S_NEGA,
                    "implausible: ADPe/GWP ratio 1.2e-6 vs 4e-5 to 1.7e-4 for every other device (likely a "
                    "transcription error)")
            continue
        lo, hi = geo(v * r, CRIT_REL)
        add(item, "manufacturing", crit, v * r, "unit", lo, hi, S_NEGA, V_NEGA_B, "derived", base)
    exclude(item, "water", wu, "m3/unit", S_NEGA, "negative water use in the source (WU < 0): not physical for "
                                                  "a manufacturing inventory")
    exclude(item, "land_use", lu, "pt/unit", S_NEGA, "negative land use in the source; criterion not in the "
                                                    "library anyway")
# screen_large: same profile as the 24-inch monitor, scaled by the size ratio
for crit, v in (("adp_minerals", 1.08e-2), ("adp_fossil", 1.30e3), ("acidification", 0.382),
                ("ionising_radiation", 145), ("particulate_matter", 2.57e-6)):
    r = ADEME_MANUF["screen_large"] / 64.7
    lo, hi = geo(v * r, 2.5)
    add("screen_large", "manufacturing", crit, v * r, "unit", lo, hi, S_NEGA, V_NEGA_B, "derived",
        f"NegaOctet 'Monitor' profile scaled to the 27-inch climate value (r = {r:.3f}); interval x/÷2.5")

# water (ADEME acv-terminaux, litres -> m3); EF 'water use' indicator (AWARE, m3 world-eq deprived)
WATER = {  # item: (manufacturing L, distribution L, end-of-life L)
    "smartphone": (75100, 11.8, 58300), "tablet": (110000, 17.8, 61600), "laptop": (194000, 51.6, 638000),
    "tv_display": (869000, 10.6, 1290000), "desktop": (66200, 6.02, 2070000), "screen_small": (58300, 4.2, 677000),
    "internet_box": (21600, 1.99, 375000),
}
for item, (m, d, e) in WATER.items():
    for phase, v in (("manufacturing", m), ("distribution", d)):
        lo, hi = geo(v / 1000, 2)
        add(item, phase, "water", v / 1000, "unit", lo, hi, S_TERM, V_NEGA, "sourced",
            "ADEME 'eau' in litres / 1000; EF water-use indicator (AWARE-weighted m3), not physical withdrawal; "
            "interval x/÷2 assumed")
    exclude(item, "water", e / 1000, "m3/unit (end of life)", S_TERM,
            "ADEME note: 'les données de la fin de vie pour l'indicateur eau ne sont pas fiables'")
lo, hi = geo(58.3 * _r27, 2.5)
add("screen_large", "manufacturing", "water", 58.3 * _r27, "unit", lo, hi, S_TERM, V_NEGA, "derived",
    f"ADEME 24-inch screen water x {_r27:.3f} (size ratio); interval x/÷2.5")
lo, hi = geo(4.2e-3 * _r27, 2.5)
add("screen_large", "distribution", "water", 4.2e-3 * _r27, "unit", lo, hi, S_TERM, V_NEGA, "derived",
    f"ADEME 24-inch screen water x {_r27:.3f} (size ratio); interval x/÷2.5")
exclude("printer", "water", 2400, "m3/unit (end of life)", S_TERM,
        "ADEME note: end-of-life water data not reliable; consumer printer, not used")

# ------------------------------------------------------------------------------------------------ electricity
add("electricity_fr", "use", "climate_change", 0.0461, "kwh", 0.0442, 0.0599, S_COMMUN, "Base Empreinte 2025",
    "sourced",
    "Base Empreinte 'Électricité 2025 - mix moyen - consommation', smoothed 2022-2025, upstream included; earlier "
    "values in the same file 0.0520 (2022), 0.0580 (Apr 2025), 0.0519 (May 2025); triangular interval from "
    "co2.js/Ember 0.04418 to the highest recent ADEME value 0.0599 (domain-facts §8); Boavizta's 0.098 (2019, "
    "another method) is left out of the interval and can be tested with an override",
    distribution="triangular")
FRA = dict(adp_minerals=4.85798e-8, adp_fossil=9.31353, ionising_radiation=3.23443, acidification=2.09809e-4,
           particulate_matter=4.15844e-9)
EEE = dict(adp_minerals=6.42317e-8, adp_fossil=8.54775, ionising_radiation=1.16845, particulate_matter=2.86019e-8)
WOR = dict(adp_minerals=7.37708e-8, adp_fossil=6.47232, ionising_radiation=0.91047, particulate_matter=1.60821e-7)
for item, mix, col in (("electricity_fr", FRA, "FRA"), ("electricity_eu", EEE, "EEE"),
                       ("electricity_world", WOR, "WOR")):
    for crit, v in mix.items():
        lo, hi = geo(v, 1.5)
        add(item, "use", crit, v, "kwh", lo, hi, S_MIXB, "Base IMPACTS (reference year 2011)", "sourced",
            f"column {col}; mix of 2011, interval x/÷1.5 assumed for its age")
    add(item, "use", "final_energy", 1.0, "kwh", 1.0, 1.0, "definition", "definition", "sourced",
        "one kWh of final electricity per kWh consumed", distribution="none")
add("electricity_fr", "use", "water", 0.146, "kwh", 0.073, 0.292, S_COMMUN, "ecoinvent (ADEME, temporary)",
    "sourced",
    "0.146 m3/kWh (ecoinvent low-voltage FR, EF water use, AWARE-weighted) chosen over 0.00367 m3/kWh (WRI "
    "physical consumption, used by Boavizta/EcoLogits) because the device water factors are the same EF "
    "AWARE-weighted indicator; ADEME flags it as temporary; interval x/÷2")
exclude("electricity_eu", "acidification", 0.223813, "mol H+eq/kWh", S_MIXB,
        "implausible: 100x the EU member-state values of the same file (e.g. DEU 0.0018, FRA 0.0002)")
exclude("electricity_world", "acidification", 2.32766, "mol H+eq/kWh", S_MIXB,
        "implausible: 1000x most country values of the same file")
add("electricity_eu", "use", "climate_change", 0.4104, "kwh", 0.213, 0.509, S_MIX, "IEA (via ADEME)", "sourced",
    "ADEME 'FE Europe' 410.4 gCO2e/kWh (IEA, production mix); triangular interval from co2.js/Ember EU 0.213 to "
    "Base IMPACTS EEE 0.509", distribution="triangular")
add("electricity_world", "use", "climate_change", 0.47294, "kwh", 0.39, 0.59, S_CO2JS, "Ember (co2.js)",
    "sourced", "world average for hosting abroad when the country is unknown; triangular interval from Boavizta "
    "WOR 0.39 (average of countries) to Base IMPACTS WOR 0.590 (2011)", distribution="triangular")

# ------------------------------------------------------------------------------------------------ networks (per GB)
NET_NOTE = ("NegaOctet full-LCA factor per GB (network equipment manufacturing + use, allocated per GB){box}; "
            "interval x/÷2 assumed: a linear per-GB intensity is an allocation of a mostly fixed network power")
for item, g, box, extra in (
        ("network_fixed_fr", 9.27, ", includes the customer box", ""),
        ("network_fixed_fr_nobox", 2.59, ", without the customer box (use when boxes are counted as devices)", ""),
        ("network_mobile_fr", 24.68, "", "; AGEC display method gives 49.2 g/GB"),
        ("network_fixed_eu", 30.81, ", includes the customer box (14.4 g without)", ""),
        ("network_mobile_eu", 96.01, "", "")):
    lo, hi = geo(g / 1000, 2)
    add(item, "use", "climate_change", g / 1000, "gb", lo, hi, S_TRANS, V_NEGA, "sourced",
        NET_NOTE.format(box=box) + extra)
lo, hi = geo(4.1, 1.5)
add("network_fixed_subscription", "use", "climate_change", 4.1, "subscription_month", lo, hi, S_AGEC,
    "ADEME AGEC method 2022", "sourced",
    "flat 4.1 kgCO2e per fixed-line subscriber per month (operators' AGEC display, box + network); interval x/÷1.5 "
    "assumed; do not add per-GB fixed factors on the same lines")

# ------------------------------------------------------------------------------------------------ data centres
add("dc_support_equipment", "manufacturing", "climate_change", 187 / 25, "m2_year", 187 / 25 / 2, 187 / 25 * 2,
    S_DC, V_NEGA, "derived",
    "187 kgCO2e per m2 of IT room over 25 years (ADEME 'équipements support') / 25 = 7.48 kgCO2e per m2 per year; "
    "ADEME allocates 0.68 m2 of IT room per server; interval x/÷2 assumed")

# ------------------------------------------------------------------------------------------------ spend (kgCO2e/EUR)
SPEND_NOTE = ("ASSUMPTION: no verified ADEME 'ratio monétaire' for this category in the stored sources; order of "
              "magnitude from the ADEME Base Carbone 'Achat de services' page (postes et télécoms: 16.1 tCO2e per "
              "150 k EUR = 0.107 kgCO2e/EUR, from 1990 energy data); wide lognormal interval; replace by the "
              "supplier's own carbon intensity when available; phase 'use' = yearly consumption of the service")
#: The four spend ratios come from one page and one basis (ADEME 'Achat de services', 1990 energy data): their
#: errors are not independent, so they share one draw in the Monte Carlo (correlation group, docs/architecture.md).
SPEND_GROUP = "ademe_achat_de_services"
add("spend_telecom", "use", "climate_change", 16100 / 150000, "eur", 0.035, 0.32, S_BC_SERVICES,
    "ADEME Base Carbone (old method)", "derived",
    "16.1 tCO2e / 150,000 EUR (ADEME 'postes et télécoms', 1990 CNRS energy data) = 0.107 kgCO2e/EUR; interval x/÷3 "
    "because the basis is old; use physical factors (GB, subscriptions) when the volumes are known",
    correlation_group=SPEND_GROUP)
for item, label in (("spend_it_services", "IT services (consulting, development, outsourcing, maintenance)"),
                    ("spend_software", "software licences and publishing"),
                    ("spend_cloud_saas", "cloud and SaaS subscriptions")):
    add(item, "use", "climate_change", 0.11, "eur", 0.11 / 3, 0.11 * 3, S_BC_SERVICES, "assumption 2026",
        "assumption", f"{label}. " + SPEND_NOTE + "; interval x/÷3", correlation_group=SPEND_GROUP)

# ------------------------------------------------------------------------------------------------ paper
add("paper_a4_ream", "manufacturing", "climate_change", 2.29, "ream", 1.75, 3.65, S_MINUMECO_BP6,
    "MiNumEco 2021 (ADEME)", "sourced",
    "one ream of 500 A4 sheets, 80 g/m2 (2.5 kg), excluding use and end of life; triangular interval from 0.7 "
    "kgCO2e/kg (recycled, https://www.ezeep.com/fr/impression-neutre-en-co2/) to 1.46 kgCO2e/kg (virgin, "
    "https://www.imprimantelaser.org/reduire-lempreinte-carbone-de-vos-impressions/)", distribution="triangular")
add("paper_a4_page", "manufacturing", "climate_change", 2.29 / 500, "page", 1.75 / 500, 3.65 / 500,
    S_MINUMECO_BP6, "MiNumEco 2021 (ADEME)", "derived",
    "paper_a4_ream / 500: one A4 sheet (a duplex print uses one sheet for two pages)", distribution="triangular")


# ------------------------------------------------------------------------------------------------ categories
def cat(category, label_fr, tier, life, lo, hi, power, hours, days, kwh, pmax, recond, source, item=None):
    return dict(category=category, label_fr=label_fr, tier=tier, factor_item=item or category,
                default_lifetime_years=life, lifetime_low_years=lo, lifetime_high_years=hi, default_power_w=power,
                default_hours_per_day=hours, default_days_per_year=days,
                default_yearly_kwh="" if kwh is None else kwh, max_power_w=pmax,
                reconditioned_embodied_share=recond, source=source)


RECOND_PC = ("reconditioned share 0.30: NegaOctet/ADEME 2022 study, laptop/desktop -43 to -97 % of annual impact; "
             "-27 kgCO2e per year for a reconditioned laptop (alliancy) against ~38 kgCO2e per year new")
RECOND_ASSUMED = "reconditioned share 0.30 ASSUMED (as computers)"
categories = [
    cat("laptop", "Ordinateur portable", "terminals", 5, 3, 8, 26.5, 7, 220, 48, 400, 0.30,
        "ADEME acv-terminaux (5 yr, 26.5 W active); MiNumEco bonne pratique 3 (48 kWh/yr); 7 h x 220 working "
        "days ASSUMED; " + RECOND_PC),
    cat("desktop", "Ordinateur fixe (unité centrale)", "terminals", 6, 4, 10, 70, 7, 220, 151, 1000, 0.30,
        "ADEME acv-terminaux 'ordinateur fixe pro' (6 yr, 70 W); MiNumEco bonne pratique 3 (151 kWh/yr); "
        + RECOND_PC),
    cat("thin_client", "Client léger", "terminals", 6, 4, 10, 10, 7, 220, 35, 100, 0.30,
        "lifetime as desktop (ASSUMED); 35 kWh/yr: typical TEC of the Dell Wyse PCFs (19-54 kWh); " + RECOND_ASSUMED),
    cat("screen_small", "Écran (24 pouces ou moins)", "terminals", 6, 4, 10, 23, 7, 220, 36, 300, 0.30,
        "ADEME acv-terminaux 'écran' (6 yr; ADEME active power 50 W); 36 kWh/yr: TEC of 24-inch Dell monitors in "
        "the Boavizta PCF data (33.9-45.9 kWh), default power 23 W = 36 kWh / (7 h x 220 d); " + RECOND_ASSUMED),
    cat("screen_large", "Écran (plus de 24 pouces)", "terminals", 6, 4, 10, 29, 7, 220, 45, 400, 0.30,
        "as screen_small; 45 kWh/yr: TEC of 27-inch monitors (Dell 37.7-50.8 kWh, Boavizta generic 27-inch "
        "44.0 kWh); " + RECOND_ASSUMED),
    cat("smartphone", "Smartphone", "terminals", 2.5, 2, 5, 4.5, 3, 365, None, 100, 0.13,
        "ADEME acv-terminaux (2.5 yr, 4.5 W, 3 h/day); reconditioned: NegaOctet/ADEME 2022 study, -87 % on "
        "climate change => 0.13"),
    cat("feature_phone", "Téléphone mobile simple", "terminals", 2.5, 2, 6, 1, 3, 365, 1, 20, 0.30,
        "ADEME 'téléphone basique' (2.5 yr, no use-phase value); 1 kWh/yr ASSUMED (charging); " + RECOND_ASSUMED),
    cat("tablet", "Tablette", "terminals", 3, 2, 6, 20, 2.5, 220, None, 100, 0.37,
        "ADEME acv-terminaux (3 yr, 20 W, 2.5 h/day); 220 days ASSUMED; reconditioned: NegaOctet/ADEME 2022, "
        "tablet -46 to -80 % => 0.37 (midpoint)"),
    cat("desk_phone_ip", "Téléphone fixe IP", "terminals", 7, 5, 10, 4, 24, 365, None, 30, 0.30,
        "ASSUMPTION: 7-year life, 4 W PoE around the clock; " + RECOND_ASSUMED),
    cat("printer", "Imprimante individuelle", "terminals", 5, 3, 8, 30, 8, 220, 40, 1500, 0.30,
        "ADEME acv-terminaux 'imprimante' (5 yr); 40 kWh/yr ASSUMED for a small office laser printer (replace by "
        "the model's TEC); max power covers fuser peaks; " + RECOND_ASSUMED),
    cat("mfp_copier", "Copieur multifonction", "terminals", 5, 4, 8, 80, 8, 220, 150, 3000, 0.30,
        "ASSUMPTION: 5-year lease, 150 kWh/yr for an A3 colour MFP in an office (replace by the machine's TEC from "
        "its Energy Star / Blue Angel sheet); " + RECOND_ASSUMED),
    cat("video_projector", "Vidéoprojecteur", "terminals", 8, 5, 10, 200, 2, 220, None, 1000, 0.30,
        "ADEME acv-terminaux (8 yr, 200 W); 2 h/day in meeting rooms ASSUMED (ADEME personal profile 0.5 h); "
        + RECOND_ASSUMED),
    cat("interactive_display", "Écran numérique interactif (TBI/ENI)", "terminals", 8, 6, 10, 150, 4, 160, None,
        800, 0.30, "ASSUMPTION: 65-75-inch panel, 8 yr like a TV, 150 W, 4 h/day, 160 school days; "
        + RECOND_ASSUMED),
    cat("tv_display", "Écran d'affichage (TV)", "terminals", 8, 5, 10, 65, 10, 250, None, 600, 0.30,
        "ADEME acv-terminaux 'TV' (8 yr, 65 W); signage 10 h/day, 250 days ASSUMED; " + RECOND_ASSUMED),
    cat("switch", "Commutateur réseau (switch)", "networks", 5, 4, 10, 60, 24, 365, None, 3000, 0.30,
        "ADEME data center.publicodes (5 yr); 60 W ASSUMED for a 24-48-port switch without PoE load; "
        + RECOND_ASSUMED),
    cat("switch_office", "Commutateur de bureau (switch d'étage)", "networks", 5, 4, 10, 30, 24, 365, None, 500,
        0.30, "ASSUMPTION: office access switch in a wiring closet (no server-room PUE); 5 yr as the ADEME switch; "
        "30 W for a 24-48-port switch without PoE load; " + RECOND_ASSUMED),
    cat("wifi_access_point", "Borne Wi-Fi", "networks", 6, 4, 10, 12, 24, 365, None, 60, 0.30,
        "ASSUMPTION: 6 yr, 12 W PoE around the clock; " + RECOND_ASSUMED),
    cat("firewall", "Pare-feu", "networks", 5, 4, 8, 100, 24, 365, None, 2000, 0.30,
        "ADEME data center.publicodes (5 yr); 100 W ASSUMED; " + RECOND_ASSUMED),
    cat("router", "Routeur", "networks", 5, 4, 10, 30, 24, 365, None, 1000, 0.30,
        "ADEME data center.publicodes (5 yr); 30 W ASSUMED; " + RECOND_ASSUMED),
    cat("internet_box", "Box internet", "networks", 5, 3, 8, 8, 24, 365, None, 60, 0.30,
        "ADEME acv-terminaux 'box' (5 yr, 8 W, 24 h/day); " + RECOND_ASSUMED),
    cat("server", "Serveur", "datacentres", 5, 3, 8, 367, 24, 365, None, 3000, 0.30,
        "ADEME data center.publicodes (5 yr; 367 W average, Borderstep); " + RECOND_ASSUMED),
    cat("storage_array", "Baie de stockage", "datacentres", 5, 3, 8, 250, 24, 365, None, 5000, 0.30,
        "ADEME data center.publicodes (5 yr); 250 W ASSUMED for a 12-drive array with controllers; "
        + RECOND_ASSUMED),
]

S_PUE = "ADEME-Arcep 2022 via https://www.silicon.fr/green-it-10-chiffres-empreinte-ecologique-430467.html"
S_ARCEP = ("Arcep 'Pour un numérique soutenable' 2023 data, https://www.arcep.fr/cartes-et-donnees/"
           "nos-publications-chiffrees/impact-environnemental/derniers-chiffres.html")
hosting = [
    dict(kind="server_room", label_fr="Salle serveurs de la collectivité", default_pue=2.0, pue_low=1.5,
         pue_high=3.0, electricity_item="electricity_fr",
         source=f"{S_PUE} (edge ≈ 2); interval ASSUMED (small rooms with comfort air conditioning can exceed 2.5)"),
    dict(kind="colocation", label_fr="Centre de données en colocation (France)", default_pue=1.55, pue_low=1.3,
         pue_high=1.9, electricity_item="electricity_fr", source=f"{S_PUE} (colocation ≈ 1.55); interval ASSUMED"),
    dict(kind="hyperscale", label_fr="Centre de données hyperscale (France)", default_pue=1.2, pue_low=1.1,
         pue_high=1.4, electricity_item="electricity_fr", source=f"{S_PUE} (hyperscale ≈ 1.2); interval ASSUMED"),
    dict(kind="datacenter_fr", label_fr="Centre de données en France (moyenne)", default_pue=1.46, pue_low=1.2,
         pue_high=1.8, electricity_item="electricity_fr",
         source=f"{S_ARCEP} (average PUE 1.51 in 2022, 1.46 in 2023); interval ASSUMED"),
    dict(kind="cloud_eu", label_fr="Cloud hébergé en Europe", default_pue=1.2, pue_low=1.1, pue_high=1.6,
         electricity_item="electricity_eu", source=f"{S_PUE} (hyperscale ≈ 1.2); interval ASSUMED"),
    dict(kind="cloud_world", label_fr="Cloud hébergé hors d'Europe ou lieu inconnu", default_pue=1.2, pue_low=1.1,
         pue_high=1.8, electricity_item="electricity_world", source=f"{S_PUE} (hyperscale ≈ 1.2); interval ASSUMED"),
]


def write(path, header, data):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=header, lineterminator="\n")
        w.writeheader()
        for r in data:
            w.writerow(r)


if __name__ == "__main__":
    FACT_HEADER = ["factor_id", "item", "phase", "criterion", "value", "unit", "activity_unit", "low", "high",
                   "distribution", "source", "vintage", "status", "note", "correlation_group"]
    CAT_HEADER = ["category", "label_fr", "tier", "factor_item", "default_lifetime_years", "lifetime_low_years",
                  "lifetime_high_years", "default_power_w", "default_hours_per_day", "default_days_per_year",
                  "default_yearly_kwh", "max_power_w", "reconditioned_embodied_share", "source"]
    HOST_HEADER = ["kind", "label_fr", "default_pue", "pue_low", "pue_high", "electricity_item", "source"]
    write(OUT / "factors.csv", FACT_HEADER, rows)
    write(OUT / "categories.csv", CAT_HEADER, categories)
    write(OUT / "hosting_kinds.csv", HOST_HEADER, hosting)
    write(OUT / "factor_exclusions.csv", ["item", "criterion", "source_value", "unit", "source", "reason"],
          exclusions)
    (OUT / "factors_version.txt").write_text("snr-factors-2026.1\n", encoding="utf-8")
    print(len(rows), "factors,", len(categories), "categories,", len(exclusions), "exclusions")
