"""Excel (.xlsx) forms: a workbook compiled once per template and role with openpyxl, stamped per employee
without it, and read back with lxml.

- :mod:`musforms.xlsx.names`: sheet names, cell addresses and the defined name of every answer cell;
- :mod:`musforms.xlsx.plan`: the form as data, cell by cell, shared by writing and reading;
- :mod:`musforms.xlsx.layout`: the layout that compiles a template and role into a plan (no openpyxl);
- :mod:`musforms.xlsx.styles`: the look of each kind of cell;
- :mod:`musforms.xlsx.build`: that grid as an openpyxl workbook (the compile step, and the benchmark's rival);
- :mod:`musforms.xlsx.skeleton`: the compiled package, its sheets split into fixed pieces and slots;
- :mod:`musforms.xlsx.cells`: cell XML written at stamp time and cell values read back;
- :mod:`musforms.xlsx.render`: :func:`render_xlsx`, one personalised workbook;
- :mod:`musforms.xlsx.reader` and :mod:`musforms.xlsx.parse`: :func:`parse_workbook`.
"""

__all__: list[str] = []
