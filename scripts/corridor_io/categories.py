"""The corridor model's categories of people, in the model's label order
(models/corridor/categories.hpp): the labels its series carry, which are CBP's category names,
and the keys a scenario spells them with (e.g. corridor.departures.base_per_day.GT.family)."""
from __future__ import annotations

#: series labels (and CBP's names) of nationality, demographic, title and component.
CITIZENSHIPS = ["Mexico", "Guatemala", "Honduras", "El Salvador"]
DEMOGRAPHICS = ["Single Adults", "FMUA", "UC / Single Minors"]
TITLES = ["Title 8", "Title 42"]
COMPONENTS = ["USBP", "OFO"]
#: scenario keys of the nationalities and demographics, in the same order as the labels.
NAT_KEYS = ["MX", "GT", "HN", "SV"]
DEMO_KEYS = ["single_adult", "family", "child"]
