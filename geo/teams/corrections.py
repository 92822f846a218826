"""What analysts may change, checked against their role before the store is touched.

The dashboard and the command line call these, never the store's writers directly: a viewer's session
that reaches an editor's form (a crafted request, a stale page) still gets PermissionDenied here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from geo.teams.auth import Action, User
from geo.store import Store
from geo.types import Candidate, Event, ResolvedMention

# ACLED's event types and sub-event types (its codebook): what an analyst may choose from.
ACLED_TYPES: dict[str, tuple[str, ...]] = {
    "Battles": ("Armed clash", "Government regains territory", "Non-state actor overtakes territory"),
    "Explosions/Remote violence": ("Chemical weapon", "Air/drone strike", "Suicide bomb",
                                   "Shelling/artillery/missile attack", "Remote explosive/landmine/IED", "Grenade"),
    "Violence against civilians": ("Sexual violence", "Attack", "Abduction/forced disappearance"),
    "Protests": ("Peaceful protest", "Protest with intervention", "Excessive force against protesters"),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Strategic developments": ("Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use",
                               "Headquarters or base established", "Looting/property destruction",
                               "Non-violent transfer of territory", "Other"),
}
MODALITIES = ("fact", "negated", "intent", "threat", "possibility")
MAX_ACTOR = 200


def place_at(candidate: Candidate, start: int, end: int, text: str) -> ResolvedMention:
    """A gazetteer entry as the analyst's resolution of text[start:end]."""
    return ResolvedMention(start=start, end=end, text=text[start:end], name=candidate.name, lat=candidate.lat,
                           lon=candidate.lon, feature=candidate.feature, country=candidate.country,
                           geonameid=candidate.geonameid, score=1.0, source="analyst",
                           display_name=candidate.display_name)


def set_place(store: Store, user: User, article_id: str, start: int, end: int, candidate: Candidate) -> None:
    """Move a mention to another place, or add a place the geoparser missed at text[start:end]."""
    user.require(Action.EDIT)
    article = store.article(article_id)
    if article is None:
        raise KeyError(f"no article {article_id}")
    store.correct(article_id, start, end, user=user.name, place=place_at(candidate, start, end, article.text))


def drop_place(store: Store, user: User, article_id: str, start: int, end: int) -> None:
    """The words at start:end are not a place."""
    user.require(Action.EDIT)
    store.correct(article_id, start, end, user=user.name, place=None)


def set_event(store: Store, user: User, article_id: str, event: Event, **changes) -> Event:
    """The event with the analyst's changes (type, subtype, actor1, actor2, modality, date, fatalities)."""
    user.require(Action.EDIT)
    allowed = {"type", "subtype", "actor1", "actor2", "modality", "date", "fatalities"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValueError(f"cannot change {sorted(unknown)} of an event")
    clean = {k: (v.strip() or None) if isinstance(v, str) else v for k, v in changes.items()}
    if clean.get("fatalities") is not None and (not isinstance(clean["fatalities"], int) or clean["fatalities"] < 0):
        raise ValueError("fatalities is a whole number >= 0")
    if clean.get("date") is not None:
        from datetime import date

        date.fromisoformat(clean["date"])  # ValueError unless YYYY-MM-DD
    fixed = replace(event, **clean)
    if fixed.subtype not in ACLED_TYPES.get(fixed.type, ()):
        raise ValueError(f"{fixed.type!r} / {fixed.subtype!r} is not an ACLED event type and sub-type")
    if fixed.modality not in MODALITIES:
        raise ValueError(f"modality is one of {', '.join(MODALITIES)}")
    for actor in (fixed.actor1, fixed.actor2):
        if actor is not None and (len(actor) > MAX_ACTOR or not actor.isprintable()):
            raise ValueError(f"an actor is one line of at most {MAX_ACTOR} characters")
    store.correct_event(article_id, event.trigger_start, user=user.name, event=fixed)
    return fixed


def drop_event(store: Store, user: User, article_id: str, event: Event) -> None:
    """The sentence reports no such event."""
    user.require(Action.EDIT)
    store.correct_event(article_id, event.trigger_start, user=user.name, event=None)


def delete_articles(store: Store, user: User, article_ids: Iterable[str]) -> list[str]:
    """Delete articles for everyone (admins only); the ids that were there, each in the audit trail."""
    user.require(Action.DELETE)
    return [a for a in dict.fromkeys(article_ids) if store.delete(a, user=user.name)]
