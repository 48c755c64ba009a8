"""The published report as plain text (the layout of the public page): render and export.

Reading the layout back (parse, import) belongs to the importers, in `monitora.imports.textformat`.
"""
