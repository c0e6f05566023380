"""The pupil kiosk's lock: keys that must not leave the questionnaire, and the teacher's way
out through a PIN (unlock at start, the PIN prompt on Ctrl+Q or F12, the teacher menu, the
class-and-wave chooser). Screens here are imported where first needed, not at start-up."""
