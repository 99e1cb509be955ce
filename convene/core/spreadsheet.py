"""Cells for CSV files that people open in spreadsheets."""

# A spreadsheet runs a cell starting with one of these as a formula ("CSV
# injection", OWASP); "|" and "%" matter to some older spreadsheet programs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "|", "%")


def csv_safe(value: object) -> str:
    """Text for a CSV cell that no spreadsheet will run as a formula: a leading
    apostrophe makes it plain text (OWASP's advice). Numbers stay numbers."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text
