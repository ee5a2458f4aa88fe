"""The DREES's rules for the APL to general practitioners, as its workbook's « Paramètres »
sheet prints them (millésimes 2022 and 2023), for santeloc's own computation.

- Supply: each doctor's yearly consultations, visits and teleconsultations, counted 0 under 250,
  3 600 from 251 to 3 600, as is up to 6 000 and 6 000 above; 5 400 for a doctor without past
  activity (santeloc's registry holds no activity: 5 400 per full-time doctor stands in).
- Demand: the standardised population (each age band weighted by its consumption of general
  practice relative to the national mean), which the workbook gives for every commune.
- Distance: 1 up to 10 minutes, 2/3 up to 15, 1/3 up to 20, 0 beyond.
- Unit: consultations or visits accessible per standardised inhabitant per year; a mean over
  communes weights each by its standardised population.
"""

from __future__ import annotations

import math

from santeloc.domain.errors import ValidationError

NEW_DOCTOR_ACTIVITY = 5400  # consultations imputed to a doctor without past activity
LOW_ACTIVITY = 250  # under this, a doctor counts 0
FLOOR_ACTIVITY = 3600  # from 251 to 3 600, a doctor counts 3 600
CEILING_ACTIVITY = 6000  # above 6 000, a doctor counts 6 000
GP_UNIT = "consultations ou visites accessibles par habitant standardisé et par an"


def counted_activity(consultations: float | None, new_doctor: float = NEW_DOCTOR_ACTIVITY) -> float:
    """A doctor's yearly activity as the DREES counts it in the supply.

    ``None`` (no past activity, or unknown) counts ``new_doctor`` (5 400). Bounds: under 250 → 0,
    up to 3 600 → 3 600, up to 6 000 as is, above → 6 000. A negative or non-finite activity
    raises :class:`ValidationError`.
    """
    if consultations is None:
        return float(new_doctor)
    value = float(consultations)
    if not math.isfinite(value) or value < 0:
        raise ValidationError(f"Activité invalide : {consultations} consultations par an.")
    if value < LOW_ACTIVITY:
        return 0.0
    if value <= FLOOR_ACTIVITY:
        return float(FLOOR_ACTIVITY)
    return min(value, float(CEILING_ACTIVITY))
