"""The digest's few interface texts in the bot's five languages. Placeholders use str.format;
values are HTML-escaped by the caller before they are put in."""

from __future__ import annotations

LANGUAGES = ("en", "ru", "de", "fr", "es")
DEFAULT_LANGUAGE = "en"

TEXTS: dict[str, dict[str, str]] = {
    "heading": {
        "en": "Your daily digest · {date}",
        "ru": "Ваш дайджест · {date}",
        "de": "Ihr Tagesüberblick · {date}",
        "fr": "Votre résumé du jour · {date}",
        "es": "Su resumen diario · {date}",
    },
    "counts": {
        "en": "Briefs: {briefs} · disputes: {disputes} · last 24 hours",
        "ru": "Материалов: {briefs} · споров: {disputes} · за последние 24 часа",
        "de": "Meldungen: {briefs} · Streitfragen: {disputes} · letzte 24 Stunden",
        "fr": "Articles : {briefs} · différends : {disputes} · dernières 24 heures",
        "es": "Noticias: {briefs} · disputas: {disputes} · últimas 24 horas",
    },
    "other": {
        "en": "Other news",
        "ru": "Другие новости",
        "de": "Weitere Meldungen",
        "fr": "Autres nouvelles",
        "es": "Otras noticias",
    },
    "more": {
        "en": "…and {n} more briefs on your topics.",
        "ru": "…и ещё {n} материалов по вашим темам.",
        "de": "…und {n} weitere Meldungen zu Ihren Themen.",
        "fr": "…et {n} autres articles sur vos sujets.",
        "es": "…y {n} noticias más sobre sus temas.",
    },
    "empty": {
        "en": "Nothing new on your topics and feeds in the last 24 hours.",
        "ru": "За последние 24 часа по вашим темам и лентам ничего нового.",
        "de": "In den letzten 24 Stunden nichts Neues zu Ihren Themen und Feeds.",
        "fr": "Rien de nouveau sur vos sujets et flux ces dernières 24 heures.",
        "es": "Nada nuevo sobre sus temas y fuentes en las últimas 24 horas.",
    },
    "no_subscriptions": {
        "en": "You follow no topics or feeds yet: /subscribe words, or /subscribe a feed URL.",
        "ru": "Вы пока не следите ни за темами, ни за лентами: /subscribe слова или адрес ленты.",
        "de": "Sie folgen noch keinen Themen oder Feeds: /subscribe Wörter oder eine Feed-URL.",
        "fr": "Vous ne suivez encore aucun sujet ni flux : /subscribe des mots ou l'URL d'un flux.",
        "es": "Aún no sigue temas ni fuentes: /subscribe palabras o la URL de una fuente.",
    },
    "settings": {
        "en": "Daily digest: {state}, at {time} ({zone}), {sound}.\n"
        "/digest HH:MM [Area/City] · /digest on · /digest off · /digest silent · /digest now",
        "ru": "Дайджест: {state}, в {time} ({zone}), {sound}.\n"
        "/digest ЧЧ:ММ [Регион/Город] · /digest on · /digest off · /digest silent · /digest now",
        "de": "Tagesüberblick: {state}, um {time} ({zone}), {sound}.\n"
        "/digest HH:MM [Region/Stadt] · /digest on · /digest off · /digest silent · /digest now",
        "fr": "Résumé du jour : {state}, à {time} ({zone}), {sound}.\n"
        "/digest HH:MM [Région/Ville] · /digest on · /digest off · /digest silent · /digest now",
        "es": "Resumen diario: {state}, a las {time} ({zone}), {sound}.\n"
        "/digest HH:MM [Región/Ciudad] · /digest on · /digest off · /digest silent · /digest now",
    },
    "state_on": {"en": "on", "ru": "включён", "de": "an", "fr": "activé", "es": "activado"},
    "state_off": {
        "en": "off", "ru": "выключен", "de": "aus", "fr": "désactivé", "es": "desactivado",
    },
    "sound_on": {
        "en": "with sound", "ru": "со звуком", "de": "mit Ton", "fr": "avec son",
        "es": "con sonido",
    },
    "sound_off": {
        "en": "silent", "ru": "без звука", "de": "lautlos", "fr": "silencieux", "es": "silencioso",
    },
    "set_time": {
        "en": "Done: your digest comes daily at {time} ({zone}).",
        "ru": "Готово: дайджест будет приходить каждый день в {time} ({zone}).",
        "de": "Erledigt: Ihr Tagesüberblick kommt täglich um {time} ({zone}).",
        "fr": "C'est fait : votre résumé arrive chaque jour à {time} ({zone}).",
        "es": "Hecho: su resumen llegará cada día a las {time} ({zone}).",
    },
    "turned_on": {
        "en": "Daily digest on, at {time} ({zone}).",
        "ru": "Дайджест включён, в {time} ({zone}).",
        "de": "Tagesüberblick an, um {time} ({zone}).",
        "fr": "Résumé du jour activé, à {time} ({zone}).",
        "es": "Resumen diario activado, a las {time} ({zone}).",
    },
    "turned_off": {
        "en": "Daily digest off. /digest on turns it back on.",
        "ru": "Дайджест выключен. /digest on включит его снова.",
        "de": "Tagesüberblick aus. /digest on schaltet ihn wieder ein.",
        "fr": "Résumé du jour désactivé. /digest on le réactive.",
        "es": "Resumen diario desactivado. /digest on lo vuelve a activar.",
    },
    "silent_on": {
        "en": "Your digest now arrives silently.",
        "ru": "Дайджест теперь приходит без звука.",
        "de": "Ihr Tagesüberblick kommt jetzt lautlos.",
        "fr": "Votre résumé arrive désormais en silence.",
        "es": "Su resumen llegará ahora en silencio.",
    },
    "silent_off": {
        "en": "Your digest now arrives with sound.",
        "ru": "Дайджест теперь приходит со звуком.",
        "de": "Ihr Tagesüberblick kommt jetzt mit Ton.",
        "fr": "Votre résumé arrive désormais avec son.",
        "es": "Su resumen llegará ahora con sonido.",
    },
    "bad_time": {
        "en": "I could not read that time. Example: /digest 07:30 Europe/Berlin",
        "ru": "Не удалось понять время. Пример: /digest 07:30 Europe/Moscow",
        "de": "Diese Uhrzeit verstehe ich nicht. Beispiel: /digest 07:30 Europe/Berlin",
        "fr": "Je n'ai pas compris l'heure. Exemple : /digest 07:30 Europe/Paris",
        "es": "No entendí la hora. Ejemplo: /digest 07:30 Europe/Madrid",
    },
    "bad_zone": {
        "en": "Unknown time zone {zone}. Use an Area/City name such as Europe/Berlin.",
        "ru": "Неизвестный часовой пояс {zone}. Укажите Регион/Город, например Europe/Moscow.",
        "de": "Unbekannte Zeitzone {zone}. Bitte Region/Stadt, etwa Europe/Berlin.",
        "fr": "Fuseau horaire inconnu {zone}. Indiquez Région/Ville, par exemple Europe/Paris.",
        "es": "Zona horaria desconocida {zone}. Use Región/Ciudad, por ejemplo Europe/Madrid.",
    },
    "bad_command": {
        "en": "Usage: /digest HH:MM [Area/City], /digest on, off, silent or now.",
        "ru": "Использование: /digest ЧЧ:ММ [Регион/Город], /digest on, off, silent или now.",
        "de": "Verwendung: /digest HH:MM [Region/Stadt], /digest on, off, silent oder now.",
        "fr": "Utilisation : /digest HH:MM [Région/Ville], /digest on, off, silent ou now.",
        "es": "Uso: /digest HH:MM [Región/Ciudad], /digest on, off, silent o now.",
    },
}


def text(key: str, language: str, **values: object) -> str:
    """The text `key` in `language` (English when the language is not one of the five)."""
    table = TEXTS[key]
    return table.get(language, table[DEFAULT_LANGUAGE]).format(**values)
