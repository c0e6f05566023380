"""What the teacher's rating screens say, in Dutch (formal "u": the teacher reads it) and English.

Separate from tui/texts.py (the pupil flow's short sentences for children).
"""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "nl": {
        "ratings_title": "Over uw leerlingen — {class_name}",
        "test_title": "Toetsresultaten — {class_name}",
        "grid_help": "Typ per leerling een cijfer. Wat de cijfers betekenen, staat in het kader.",
        "test_help": "Vul per leerling het niveau van de laatste toets in. Cito I = 5, II = 4, III = 3, IV = 2, V = 1. Niet gemaakt: laat het vakje leeg.",
        "relationship_help": "Hoe goed passen deze uitspraken bij uw relatie met deze leerling?",
        "pupil_header": "Leerling",
        "statement_header": "Uitspraak",
        "answer_header": "Antwoord",
        "progress": "{done} van {total} leerlingen klaar",
        "progress_grid": "{done} van {total} leerlingen klaar in deze tabel",
        "pupil_number": "leerling {number} van {total}",
        "legend_ends": "{low} = {low_label} … {high} = {high_label}",
        "ten_hint": "(10: typ 0, of 1 en dan 0)",
        "refused": "⚠ {digit} kan niet in deze kolom: kies {low} tot {high}. Er is niets opgeslagen.",
        "save_failed": "⚠ NIET opgeslagen: er ging iets mis bij het opslaan. Probeer het opnieuw of roep de onderzoeker.",
        "saved": "✓ opgeslagen",
        "cleared": "✓ gewist",
        "keys_grid": "Cijfer = invullen   Enter/Tab = volgende   Shift+Tab = vorige   ← ↑ ↓ → = verplaatsen   Backspace = wissen",
        "previous": "← Vorige (PgUp)",
        "next": "Volgende (PgDn) →",
        "check_title": "Nog niet alles ingevuld",
        "check_help": "Bij deze leerlingen ontbreken nog antwoorden. Kies een leerling om aan te vullen, of rond toch af.",
        "check_item": "{name}: {missing}",
        "check_finish": "Toch afronden",
        "check_keys": "↑ ↓ = kiezen   Enter = openen",
        "relationship_missing_one": "1 relatievraag",
        "relationship_missing_many": "{count} relatievragen",
        # short column titles per item (the legend gives the meaning)
        "col_ses_estimate": "SES",
        "col_expected_level_reading": "Verwacht lezen",
        "col_expected_level_maths": "Verwacht rekenen",
        "col_actual_level_reading": "Behaald lezen",
        "col_actual_level_maths": "Behaald rekenen",
    },
    "en": {
        "ratings_title": "About your pupils — {class_name}",
        "test_title": "Test results — {class_name}",
        "grid_help": "Type a number for each pupil. The box says what the numbers mean.",
        "test_help": "Enter each pupil's level at the last test. Cito I = 5, II = 4, III = 3, IV = 2, V = 1. Not taken: leave the cell empty.",
        "relationship_help": "How well do these statements fit your relationship with this pupil?",
        "pupil_header": "Pupil",
        "statement_header": "Statement",
        "answer_header": "Answer",
        "progress": "{done} of {total} pupils done",
        "progress_grid": "{done} of {total} pupils done in this table",
        "pupil_number": "pupil {number} of {total}",
        "legend_ends": "{low} = {low_label} … {high} = {high_label}",
        "ten_hint": "(10: type 0, or 1 then 0)",
        "refused": "⚠ {digit} is not possible in this column: choose {low} to {high}. Nothing was saved.",
        "save_failed": "⚠ NOT saved: something went wrong while saving. Try again or call the researcher.",
        "saved": "✓ saved",
        "cleared": "✓ cleared",
        "keys_grid": "Number = enter   Enter/Tab = next   Shift+Tab = previous   ← ↑ ↓ → = move   Backspace = clear",
        "previous": "← Previous (PgUp)",
        "next": "Next (PgDn) →",
        "check_title": "Not everything filled in yet",
        "check_help": "Answers are missing for these pupils. Choose a pupil to complete, or finish anyway.",
        "check_item": "{name}: {missing}",
        "check_finish": "Finish anyway",
        "check_keys": "↑ ↓ = choose   Enter = open",
        "relationship_missing_one": "1 relationship question",
        "relationship_missing_many": "{count} relationship questions",
        "col_ses_estimate": "SES",
        "col_expected_level_reading": "Expected reading",
        "col_expected_level_maths": "Expected maths",
        "col_actual_level_reading": "Reading level",
        "col_actual_level_maths": "Maths level",
    },
}


def text(language: str, key: str, **values: object) -> str:
    table = TEXTS["en" if language == "en" else "nl"]
    return table[key].format(**values) if values else table[key]


def column_title(language: str, item_id: str) -> str:
    """The short title of an item's column; the item id where none is written."""
    table = TEXTS["en" if language == "en" else "nl"]
    return table.get(f"col_{item_id}", item_id)
