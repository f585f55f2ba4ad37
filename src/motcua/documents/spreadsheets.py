"""Writing cells of the spreadsheets the app produces (logbook, catalogue export)."""


def put(sheet, row: int, column: int, value):
    """Write `value` into a cell; text always stays text.

    openpyxl stores any string that starts with "=" as a formula, and a spreadsheet program
    evaluates "+", "-" and "@" too: an applicant named =HYPERLINK(...) would become a live link.
    Marking the cell as a string (and its format as text) keeps exactly what was typed."""
    cell = sheet.cell(row=row, column=column)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        cell.number_format = "@"
    return cell
