"""Word (.docx) forms: the package skeleton, the compiled layout, stamping, and reading completed files."""

__all__: list[str] = []
