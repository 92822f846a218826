"""One sense per discourse counts "X region" and a bare "X" as two names: the region and its town.

ACLED-style notes name the town and its region alike ("Mopti town (Mopti region)"); reading every
"Mopti" as the region put the event tens of kilometres from the town.
"""

from __future__ import annotations

import pytest



@pytest.mark.parametrize("text, town, region", [
    ("Soldiers entered Mopti town (Mopti region) on Friday after the militants withdrew.", 0, 1),
    ("Shelling hit villages across the Kharkiv region overnight; in Kharkiv itself two people were hurt.", 1, 0),
    ("Militants attacked a checkpoint in Diffa region. Residents of Diffa said the shooting lasted an hour.", 1, 0),
])
def test_a_town_and_its_region_of_the_same_name_stay_apart(geoparser, text, town, region):
    mentions = geoparser.parse(text)
    assert len(mentions) == 2, [(m.text, m.name, m.feature) for m in mentions]
    assert mentions[region].feature == "region"
    assert mentions[town].feature != "region"
    assert (mentions[town].lat, mentions[town].lon) != (mentions[region].lat, mentions[region].lon)
