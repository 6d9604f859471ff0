"""Excel (.xlsx) forms: a workbook compiled once per template and role with openpyxl, stamped per employee
without it, and read back with lxml.

- :mod:`musforms._formats.xlsx.form`: the format as the ``render`` and ``parse`` fronts use it;
- :mod:`musforms._formats.xlsx.names`: sheet names, cell addresses and the defined name of every answer cell;
- :mod:`musforms._formats.xlsx.sheets`: the form as data, cell by cell, shared by writing and reading;
- :mod:`musforms._formats.xlsx.builder` and :mod:`musforms._formats.xlsx.layout`: the layout that compiles a
  template and role into that data (no openpyxl);
- :mod:`musforms._formats.xlsx.styles`: the look of each kind of cell;
- :mod:`musforms._formats.xlsx.build`: that grid as an openpyxl workbook (the compile step, and the benchmark's rival);
- :mod:`musforms._formats.xlsx.skeleton`: the compiled package, its sheets split into fixed pieces and slots;
- :mod:`musforms._formats.xlsx.cells`: cell XML written at stamp time and cell values read back;
- :mod:`musforms._formats.xlsx.render`: :func:`render_xlsx`, one personalised workbook;
- :mod:`musforms._formats.xlsx.reader` and :mod:`musforms._formats.xlsx.parse`: the workbook read back.
"""

__all__: list[str] = []
