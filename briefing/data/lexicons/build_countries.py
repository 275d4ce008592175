"""Regenerate countries.json: the name of every country in en, de, ru, fr, es, for the party
alias table of the dispute extractor.

Run by hand when the source data changes
(`.venv/bin/python briefing/data/lexicons/build_countries.py`);
the engine only reads the JSON, so babel and pycountry are build-time tools, not run-time
dependencies. Names come from the CLDR (via babel) and ISO 3166 (via pycountry). Russian names get
their case forms by the regular endings, because Russian news inflects them ("России", "Украину").
"""

from __future__ import annotations

import json
from pathlib import Path

import pycountry
from babel import Locale

LANGS = ("en", "de", "ru", "fr", "es")
OUT = Path(__file__).with_name("countries.json")
# Russian case endings by the nominative's ending (gen, dat, acc, instr, prep).
_RU_ENDINGS = {
    "ия": ("ии", "ию", "ией"),
    "а": ("ы", "е", "у", "ой", "и"),
    "я": ("и", "е", "ю", "ей"),
}


# English demonyms and capitals of countries often in dispute news (the CLDR has only the names).
EXTRA_EN = {
    "Albania": "albanian albanians tirana",
    "Algeria": "algerian algerians algiers",
    "Argentina": "argentine argentinian buenos aires",
    "Armenia": "armenian armenians yerevan",
    "Australia": "australian australians canberra",
    "Austria": "austrian vienna",
    "Azerbaijan": "azerbaijani azeri baku",
    "Bangladesh": "bangladeshi dhaka",
    "Belgium": "belgian",
    "Bosnia & Herzegovina": "bosnian bosnia sarajevo",
    "Brazil": "brazilian brasilia",
    "Bulgaria": "bulgarian sofia",
    "Cambodia": "cambodian phnom penh",
    "Canada": "canadian canadians ottawa",
    "Chile": "chilean santiago",
    "Colombia": "colombian bogota",
    "Croatia": "croatian croat croats zagreb",
    "Cuba": "cuban cubans havana",
    "Czechia": "czech czech republic prague",
    "Denmark": "danish copenhagen",
    "Ethiopia": "ethiopian addis ababa",
    "Finland": "finnish helsinki",
    "Georgia": "georgian tbilisi",
    "Ghana": "ghanaian ghanaians accra",
    "Greece": "greek greeks athens",
    "Hungary": "hungarian budapest",
    "Indonesia": "indonesian jakarta",
    "Ireland": "irish dublin",
    "Italy": "italian italians rome",
    "Jordan": "jordanian amman",
    "Kazakhstan": "kazakh astana",
    "Kenya": "kenyan nairobi",
    "Kosovo": "kosovar pristina",
    "Lebanon": "lebanese beirut",
    "Liberia": "liberian liberians monrovia",
    "Libya": "libyan tripoli",
    "Lithuania": "lithuanian vilnius",
    "Mexico": "mexican mexicans",
    "Moldova": "moldovan chisinau",
    "Morocco": "moroccan rabat",
    "Mozambique": "mozambican maputo",
    "Netherlands": "dutch holland the hague amsterdam",
    "Nigeria": "nigerian nigerians abuja lagos",
    "Norway": "norwegian oslo",
    "Panama": "panamanian",
    "Peru": "peruvian lima",
    "Philippines": "philippine filipino manila",
    "Portugal": "portuguese lisbon",
    "Romania": "romanian bucharest",
    "Rwanda": "rwandan kigali",
    "Saudi Arabia": "saudi saudis riyadh",
    "Sierra Leone": "freetown",
    "Somalia": "somali mogadishu",
    "South Africa": "south african pretoria",
    "Spain": "spanish madrid",
    "Sudan": "sudanese khartoum",
    "Sweden": "swedish stockholm",
    "Switzerland": "swiss bern",
    "Taiwan": "taiwanese taipei",
    "Thailand": "thai bangkok",
    "Tunisia": "tunisian tunis",
    "Uganda": "ugandan kampala",
    "Uzbekistan": "uzbek tashkent",
    "Venezuela": "venezuelan caracas",
    "Vietnam": "vietnamese hanoi",
    "Yemen": "yemeni sanaa",
    "Zimbabwe": "zimbabwean harare",
}
# Multi-word entries of EXTRA_EN, kept whole.
_MULTI = (
    "buenos aires",
    "phnom penh",
    "czech republic",
    "addis ababa",
    "the hague",
    "saudi arabia",
    "south african",
)


def _extra(words: str) -> list[str]:
    out = [m for m in _MULTI if m in words]
    rest = words
    for m in out:
        rest = rest.replace(m, " ")
    return out + rest.split()


def _ru_forms(name: str) -> list[str]:
    words = name.split()
    if len(words) != 1:
        return [name]
    forms = [name]
    for end, endings in _RU_ENDINGS.items():
        if name.endswith(end):
            forms += [name[: -len(end)] + e for e in endings]
            return forms
    if name[-1] not in "аеёиоуыэюяь":
        forms += [name + e for e in ("а", "у", "е", "ом")]
    return forms


def build() -> dict[str, dict[str, list[str]]]:
    table: dict[str, dict[str, list[str]]] = {lang: {} for lang in LANGS}
    english = Locale("en").territories
    for country in pycountry.countries:
        code = country.alpha_2
        canonical = english.get(code) or country.name
        for lang in LANGS:
            names = {Locale(lang).territories.get(code, "")}
            if lang == "en":
                names |= {
                    country.name,
                    getattr(country, "common_name", ""),
                    getattr(country, "official_name", ""),
                }
            aliases: list[str] = []
            for name in sorted(n for n in names if n and "," not in n and "(" not in n):
                aliases += _ru_forms(name) if lang == "ru" else [name]
            if lang == "en":
                aliases += _extra(EXTRA_EN.get(canonical, ""))
            if aliases:
                table[lang][canonical] = [a.lower().replace("ё", "е") for a in aliases]
    return table


if __name__ == "__main__":
    OUT.write_text(
        json.dumps(build(), ensure_ascii=False, indent=1, sort_keys=True) + "\n", "utf-8"
    )
