"""General knowledge the rules need: the names of countries, peoples, and what is no name.

National sides are called by their country's name and stay places (`Japan beat Syria`); clubs
and county sides named after a place are organisations (`Leicestershire beat Somerset`).
"""

from __future__ import annotations

import re

COUNTRIES = frozenset(
    name.casefold()
    for name in """
Afghanistan|Albania|Algeria|Andorra|Angola|Antigua and Barbuda|Argentina|Armenia|Australia|
Austria|Azerbaijan|Bahamas|Bahrain|Bangladesh|Barbados|Belarus|Belgium|Belize|Benin|Bhutan|
Bolivia|Bosnia|Bosnia and Herzegovina|Botswana|Brazil|Brunei|Bulgaria|Burkina Faso|Burundi|
Cambodia|Cameroon|Canada|Cape Verde|Central African Republic|Chad|Chile|China|Colombia|Comoros|
Congo|Costa Rica|Croatia|Cuba|Cyprus|Czech Republic|Czechia|Denmark|Djibouti|Dominica|
Dominican Republic|East Timor|Ecuador|Egypt|El Salvador|Equatorial Guinea|Eritrea|Estonia|
Eswatini|Ethiopia|Fiji|Finland|France|Gabon|Gambia|Georgia|Germany|Ghana|Greece|Grenada|
Guatemala|Guinea|Guinea-Bissau|Guyana|Haiti|Honduras|Hungary|Iceland|India|Indonesia|Iran|Iraq|
Ireland|Israel|Italy|Ivory Coast|Jamaica|Japan|Jordan|Kazakhstan|Kenya|Kiribati|Kosovo|Kuwait|
Kyrgyzstan|Laos|Latvia|Lebanon|Lesotho|Liberia|Libya|Liechtenstein|Lithuania|Luxembourg|
Madagascar|Malawi|Malaysia|Maldives|Mali|Malta|Marshall Islands|Mauritania|Mauritius|Mexico|
Micronesia|Moldova|Monaco|Mongolia|Montenegro|Morocco|Mozambique|Myanmar|Burma|Namibia|Nauru|
Nepal|Netherlands|Holland|New Zealand|Nicaragua|Niger|Nigeria|North Korea|North Macedonia|
Macedonia|Norway|Oman|Pakistan|Palau|Palestine|Panama|Papua New Guinea|Paraguay|Peru|
Philippines|Poland|Portugal|Qatar|Romania|Russia|Rwanda|Saint Kitts and Nevis|Saint Lucia|
Samoa|San Marino|Saudi Arabia|Senegal|Serbia|Seychelles|Sierra Leone|Singapore|Slovakia|
Slovenia|Solomon Islands|Somalia|South Africa|South Korea|Korea|South Sudan|Spain|Sri Lanka|
Sudan|Suriname|Swaziland|Sweden|Switzerland|Syria|Taiwan|Tajikistan|Tanzania|Thailand|Togo|
Tonga|Trinidad and Tobago|Trinidad|Tunisia|Turkey|Turkmenistan|Tuvalu|Uganda|Ukraine|
United Arab Emirates|UAE|United Kingdom|UK|Britain|Great Britain|United States|US|USA|
United States of America|America|Uruguay|Uzbekistan|Vanuatu|Vatican|Venezuela|Vietnam|Yemen|
Zambia|Zimbabwe|England|Scotland|Wales|Northern Ireland|Yugoslavia|Soviet Union|USSR|
Czechoslovakia|Zaire|Russian Federation|West Germany|East Germany|Hong Kong|Puerto Rico|
Faroe Islands
""".replace("\n", "").split("|")
    if name
)


def is_country(key: str) -> bool:
    """`key` is a canonical key (see names.canonical_key)."""
    return key in COUNTRIES


# What a people or nation is called: the model's NORP, never a person, organisation or place
# (`Dutch`, `a Briton`, `Azeris`). Adjectives and singular nouns; `is_demonym` adds plurals.
DEMONYMS = frozenset(
    """
afghan|albanian|algerian|american|andorran|angolan|argentine|argentinian|armenian|australian|
austrian|azerbaijani|azeri|bahraini|bangladeshi|belarusian|belarussian|belgian|beninese|
bolivian|bosnian|brazilian|british|briton|bulgarian|burmese|burundian|cambodian|cameroonian|
canadian|chadian|chechen|chilean|chinese|colombian|congolese|croat|croatian|cuban|cypriot|
czech|dane|danish|dutch|dutchman|ecuadorean|ecuadorian|egyptian|emirati|english|englishman|
eritrean|estonian|ethiopian|european|fijian|filipino|finn|finnish|french|frenchman|gabonese|
gambian|georgian|german|ghanaian|greek|guatemalan|guinean|haitian|honduran|hungarian|
icelandic|icelander|indian|indonesian|iranian|iraqi|irish|irishman|israeli|italian|ivorian|
jamaican|japanese|jordanian|kazakh|kazakhstani|kenyan|korean|kosovar|kurd|kurdish|kuwaiti|
kyrgyz|lao|laotian|latvian|lebanese|liberian|libyan|lithuanian|luxembourgish|macedonian|
malagasy|malawian|malaysian|malian|maltese|mauritanian|mexican|moldovan|mongolian|
montenegrin|moroccan|mozambican|namibian|nepalese|nepali|nicaraguan|nigerian|nigerien|
norwegian|omani|pakistani|palestinian|panamanian|paraguayan|peruvian|polish|portuguese|
qatari|romanian|russian|rwandan|salvadoran|saudi|scot|scottish|scotsman|senegalese|serb|
serbian|sierra leonean|singaporean|slovak|slovakian|slovene|slovenian|somali|spaniard|
spanish|sri lankan|sudanese|swede|swedish|swiss|syrian|taiwanese|tajik|tanzanian|thai|
togolese|tunisian|turk|turkish|turkmen|ugandan|ukrainian|uruguayan|uzbek|venezuelan|
vietnamese|welsh|welshman|yemeni|yugoslav|zambian|zimbabwean
""".replace("\n", "").split("|")
)


def is_demonym(name: str) -> bool:
    """`Dutch`, `Briton`, `Azeris`: a people, not one of the named things newsents keeps."""
    key = name.casefold()
    return key in DEMONYMS or (key.endswith("s") and key[:-1] in DEMONYMS)


# Other names of one country: `America` and `U.S.` are the `United States`, `Holland` the
# `Netherlands`. Keys are canonical keys (names.canonical_key).
_COUNTRY_NAMES = {
    "united states": "us|usa|united states of america|america",
    "united kingdom": "uk|britain|great britain",
    "netherlands": "holland|the netherlands",
    "russia": "russian federation",
    "soviet union": "ussr",
    "czech republic": "czechia",
    "ivory coast": "cote d'ivoire",
    "united arab emirates": "uae",
    "myanmar": "burma",
    "eswatini": "swaziland",
}
COUNTRY_ALIASES = {
    alias: country for country, aliases in _COUNTRY_NAMES.items() for alias in aliases.split("|")
}


def country_key(key: str) -> str:
    """The key of the country's main name: `america` → `united states`; other keys as given."""
    return COUNTRY_ALIASES.get(key, key)


# Names that are never a person, an organisation or a place, whatever label the model gives
# them: diseases and their agents (news capitalises `COVID-19`, `Ebola`), and processes named
# like a proper noun (`Brexit`). Neither the CoNLL nor the OntoNotes guidelines annotate them as
# PER/ORG/LOC. Keys are canonical keys (names.canonical_key).
NOT_NAMES = frozenset(
    """
covid|covid-19|covid19|coronavirus|sars|sars-cov-2|mers|mers-cov|ebola|zika|hiv|aids|hiv/aids|
h1n1|h5n1|h7n9|mpox|monkeypox|swine flu|bird flu|avian flu|spanish flu|brexit
""".replace("\n", "").split("|")
)


def is_not_a_name(key: str) -> bool:
    """`COVID-19`, `Ebola`, `Brexit`: no person, organisation or place (keys as NOT_NAMES)."""
    return key in NOT_NAMES


_LAW_NAME = re.compile(r"^(?:[A-Z][\w'’.-]*\s+)+Act$")


def is_law_name(name: str) -> bool:
    """`Affordable Care Act`, `Patriot Act`: a law (CoNLL's MISC, OntoNotes' LAW), not an
    organisation."""
    return bool(_LAW_NAME.match(name))
