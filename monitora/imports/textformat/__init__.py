"""Import of reports in the published text layout: parse the text, then upsert a published report."""
