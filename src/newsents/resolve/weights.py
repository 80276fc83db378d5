"""How much each kind of evidence counts towards a mention's type, in one table: the rules'
relative trust is read and changed here, never as numbers in the rules. The model's own label
counts 1; a vote "outweighs the model" where it is 1 more than every other type's votes."""

from __future__ import annotations

VOTES: dict[str, int] = {
    # The model labelled the whole span (not only a part before a possessive).
    "model_label": 1,
    # `Mr`, `Dr`, `Dame` before the name.
    "honorific": 3,
    # A job title before the name (`Senator`, `Dean`).
    "job_title": 1,
    # The name ends in an organisation head (`... Bank`, `... Inc`).
    "organization_head": 2,
    # A word before the name that says what it is: `oil giant X`, `spokesman X`, `city of X`.
    "introducer": 3,
    # A noun after the name that only follows an organisation's: `Labour MPs`, `Lib Dem leader`.
    "organization_modifier": 2,
    # A name the model called a person, in the plural after `the`: `the Lib Dems`.
    "plural_after_the": 2,
    # One word in CamelCase (`PayPal`, `BlackBerry`): how companies write their names.
    "camel_case": 1,
    # Each other organisation of the article whose name begins with this one (`Binance` in
    # `Binance Research`).
    "begins_an_organization": 1,
    # Three or more names listed together: a vote for the kind most of the others are.
    "list_mate": 1,
    # Team-sport reports only: a place in a result, or a lone name in a match or before a team
    # role, is a side.
    "side_in_a_result": 2,
    # Another name of a known organisation (words/organization_aliases.txt): `Tories`.
    "known_organization": 3,
    # The town of a dateline, for every mention of that name in the article.
    "dateline": 2,
}
