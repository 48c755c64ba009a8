"""What the report importers share: error reporting, file reading, the idempotent upsert."""
