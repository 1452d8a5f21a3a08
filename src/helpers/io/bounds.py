"""Physical plausibility bounds of the numbers read from the input files (issue 31).

Every numeric column of every schema (:class:`helpers.io.tables.Column`) has a lower and an upper bound; a value
beyond them is an error naming the file, the line, the column and the bound (:func:`helpers.io.tables.read_table`),
and a value that is not finite (``1e400``, ``inf``) is never read as a number. The bounds are not targets: they are
orders of magnitude that no French collectivity reaches, so that a unit slip by a factor of a million, a pasted
serial number or an overflow is stopped with its cell named instead of publishing ``Infinity`` tonnes. The bound of
each column is in the territory's README (``make new-territory``, column "allowed / range") and below, with why.
"""

from __future__ import annotations

#: Euros on one line (a purchase, an investment): ten billion euros, the order of magnitude of the whole yearly
#: budget of the largest French local authority; no one purchase line of a collectivity is larger.
MAX_EUR = 1e10

#: Euros per year on one line (a yearly cost, a cloud spend): the same bound as :data:`MAX_EUR`.
MAX_EUR_PER_YEAR = 1e10

#: IT electricity of one hosting site or service (kWh per year): 1 TWh a year, about 114 MW drawn all year, a
#: seventh of France's whole data-centre park (about 7 TWh a year in 2020, 1,606 MW installed; silicon.fr 430467,
#: in the project's domain facts).
MAX_SITE_KWH_PER_YEAR = 1e9

#: Power of one device (W): 100 kW, more than a full rack of servers; no single device of a fleet draws more.
MAX_DEVICE_POWER_W = 100_000

#: Electricity of one device per year (kWh): :data:`MAX_DEVICE_POWER_W` drawn all year (876,600 kWh), rounded up.
MAX_DEVICE_KWH_PER_YEAR = 1_000_000

#: Data volume of one entity per year (GB): a thousand petabytes, a terabyte a year for each of a million agents
#: (France's territorial civil service has about two million agents in all).
MAX_GB_PER_YEAR = 1e9

#: Telecom subscriptions of one entity: ten million, more than all the territorial agents of France.
MAX_SUBSCRIPTIONS = 1e7

#: Reams of paper bought by one entity per year: ten million reams, five billion sheets.
MAX_REAMS_PER_YEAR = 1e7

#: Printed pages of one entity per year: ten billion pages.
MAX_PAGES_PER_YEAR = 1e10

#: Functional units of one digital service per year (visits, procedures, messages, hours): a hundred billion, about
#: 1,500 for each inhabitant of France.
MAX_FUNCTIONAL_UNITS_PER_YEAR = 1e11

#: HTTP requests of one visit: a hundred thousand (a heavy page makes a few hundred).
MAX_REQUESTS_PER_VISIT = 100_000

#: Data transferred per functional unit (GB): a petabyte.
MAX_GB_PER_UNIT = 1e6

#: A reference or override factor, in its own unit (kgCO2e, MJ, m3… per activity unit): a billion. The shipped
#: library's largest is about 2e4 (MJ per server built).
MAX_FACTOR_VALUE = 1e9

#: Lifetime of a device or of a category's default (years).
MAX_LIFETIME_YEARS = 100

#: PUE of a site or a hosting kind: 4 (ADEME-Arcep 2022 typical PUE: edge about 2, colocation 1.55).
MAX_PUE = 4

#: Latest year read in a date column (purchase years after the reference year are excluded and counted).
MAX_YEAR = 2100

#: The parameter of a lever (years added, share, ratio, PUE): the levers' own ranges are checked per lever
#: (``helpers.model.levers.LEVERS``); this bound only keeps the cell finite.
MAX_LEVER_PARAMETER = 100

#: A monitoring indicator measured by the collectivity (in the indicator's own unit: %, kWh, reams, years…): a
#: thousand billion, beyond any count or energy of a collectivity; a pasted serial number or overflow is stopped.
MAX_INDICATOR_VALUE = 1e12
