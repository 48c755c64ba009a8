"""The published report as plain text (the layout of the public page): parse, render, import, export."""
