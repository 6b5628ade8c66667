"""Spreadsheet forms a request carries: the template read once (``template``), each school's
filled copy checked against it (``answer_check``), and every checked answer merged into one
workbook (``merge``)."""
