"""What the pupil flow says, in Dutch (what pupils read) and English (language "en").

Short sentences, one idea each: many pupils read slowly or read Dutch as a second language.
"""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "nl": {
        "code_question": "Wat is jouw code?",
        "code_help": "Typ de code van je kaartje. Druk dan op Enter.",
        "code_placeholder": "bijvoorbeeld KT4MRX",
        "code_invalid": "Deze code klopt niet, kijk nog eens op je kaartje.",
        "code_unknown": "Deze code hoort niet bij dit onderzoek. Vraag het even aan de juf of meester.",
        "demo_codes": "Demo: probeer code {first} of {second}. Alle codes staan in {path}",
        "storage_problem": "Er ging iets mis bij het opslaan. Roep de juf of meester. ({error})",
        "welcome_back": "Welkom terug! Je gaat verder waar je gebleven was.",
        "start": "Beginnen",
        "start_hint": "Druk op Enter om te beginnen.",
        "progress": "vraag {number} van {total}",
        "keys_hint": "Kies met 1 tot {last} of klik.   Enter of → = volgende   ← = terug",
        "keys_hint_ten": "Kies met 1 tot 9 (0 = 10) of klik.   Enter of → = volgende   ← = terug",
        "keys_hint_number": "Typ een getal.   Enter = volgende   Esc = terug",
        "keys_hint_line": "Typ je antwoord.   Enter = volgende   Esc = terug",
        "keys_hint_text": "Typ je antwoord.   Tab en dan Enter = volgende   Esc = terug",
        "number_range": "Kies een getal van {low} tot {high}.",
        "text_count": "{used} van {most} tekens",
        "back_button": "← terug",
        "next_button": "volgende →",
        "save_failed": "Je antwoord is NIET opgeslagen. Roep de juf of meester.",
        "thanks": "Dankjewel!",
        "thanks_body": "Je bent klaar. Al je antwoorden zijn opgeslagen.\nGeef de laptop terug aan de juf of meester.",
        "already_done": "Je bent al klaar!",
        "already_done_body": "Jij hebt deze vragen al beantwoord. Dankjewel!\nGeef de laptop terug aan de juf of meester.",
        "press_a_key": "Druk op een toets.",
    },
    "en": {
        "code_question": "What is your code?",
        "code_help": "Type the code from your card. Then press Enter.",
        "code_placeholder": "for example KT4MRX",
        "code_invalid": "This code is not right, have another look at your card.",
        "code_unknown": "This code is not part of this study. Please ask your teacher.",
        "demo_codes": "Demo: try code {first} or {second}. All codes are in {path}",
        "storage_problem": "Something went wrong while saving. Please call your teacher. ({error})",
        "welcome_back": "Welcome back! You carry on where you left off.",
        "start": "Start",
        "start_hint": "Press Enter to start.",
        "progress": "question {number} of {total}",
        "keys_hint": "Choose with 1 to {last} or click.   Enter or → = next   ← = back",
        "keys_hint_ten": "Choose with 1 to 9 (0 = 10) or click.   Enter or → = next   ← = back",
        "keys_hint_number": "Type a number.   Enter = next   Esc = back",
        "keys_hint_line": "Type your answer.   Enter = next   Esc = back",
        "keys_hint_text": "Type your answer.   Tab, then Enter = next   Esc = back",
        "number_range": "Choose a number from {low} to {high}.",
        "text_count": "{used} of {most} characters",
        "back_button": "← back",
        "next_button": "next →",
        "save_failed": "Your answer was NOT saved. Please call your teacher.",
        "thanks": "Thank you!",
        "thanks_body": "You are done. All your answers are saved.\nPlease give the laptop back to your teacher.",
        "already_done": "You are already done!",
        "already_done_body": "You have already answered these questions. Thank you!\nPlease give the laptop back to your teacher.",
        "press_a_key": "Press any key.",
    },
}


def text(language: str, key: str, **fields: object) -> str:
    """The text `key` in `language` (Dutch when the language is unknown), with fields filled in."""
    template = TEXTS.get(language, TEXTS["nl"])[key]
    return template.format(**fields) if fields else template

