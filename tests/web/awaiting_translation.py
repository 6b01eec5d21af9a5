"""UI strings a feature branch added whose translations come after it merges (the translators' side
translates them, then empties this set). Only these may be missing from a shipped catalogue."""

AWAITING_TRANSLATION = {
    (None, "Too many codes were tried. Please ask the staff for help."),
    (None, "We could not find an unfinished plan with this code. Please check the code."),
    (None, "Demo office web page"),
    (
        None,
        "This page stands in for an office's own web page. The button in the corner opens the intake, "
        "added with one script tag:",
    ),
    (None, "Close"),
    (None, "Self-reliance plan assistant"),
    (None, "Continue with a receipt code"),
    (None, "Exit this page"),
    (None, "Text size"),
    ("text size", "Standard"),
    ("text size", "Large"),
    ("text size", "Larger"),
    (None, "Furigana"),
    (None, "Read aloud"),
    (None, "Are you still there?"),
    (None, "To keep your answers private, this screen will be cleared soon. Your answers so far are saved."),
    (None, "Seconds left:"),
    (None, "I am still here"),
    (None, "Clear the screen now"),
    (None, "8 letters and numbers, for example ABCD-2345."),
    (None, "Start again instead"),
    (None, "Continue later"),
    (None, "If you need to stop, note this code. With it you can continue on a kiosk here within %(hours)s hours."),
}
