"""A problem found in a spreadsheet, with the sheet and cell it is in, as every importer reports it."""

from dataclasses import dataclass

ERROR = "error"  # the row or cell cannot be imported
WARNING = "warning"  # imported, or left alone, with something the admin should know


@dataclass(frozen=True)
class Problem:
    level: str
    sheet: str
    cell: str  # "C14", or "" for the sheet as a whole
    message: str

    @classmethod
    def at(cls, ref: str, message: str, *, level: str = WARNING) -> "Problem":
        """The problem at `ref` as Excel writes it ("KPIs!C4", or a sheet name alone).

        A sheet's name may hold "!", a cell address never does: the last "!" separates them.
        """
        sheet, bang, cell = ref.rpartition("!")
        return cls(level, sheet, cell, message) if bang else cls(level, ref, "", message)

    @property
    def where(self) -> str:
        return f"{self.sheet}!{self.cell}" if self.cell else self.sheet

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"
