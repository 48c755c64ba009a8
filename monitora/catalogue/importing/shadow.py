"""Bulk load into an empty catalogue: COPY straight into shadow tables, then swap them in.

The catalogue tables can only be filled inside the import's transaction (a failure must leave
them as they were), and `INSERT … SELECT` from a staging table writes row by row. Into an empty
catalogue the loaders instead `COPY` (batched heap inserts, search vectors computed by a generated
column) into shadow copies of `catalogue_project` and its place links, committed by their own
connections but invisible to the application. At the end the import's transaction builds the
indexes and constraints on the shadows, drops the empty originals and renames the shadows into
their place, with every name, trigger, foreign key and grant as Django's migrations made them.
A failure or a killed process leaves the originals untouched; the shadows are dropped.

Only plain tables are swapped: if anything else depends on the originals (a view, a policy,
a publication, a comment), if they have settings of their own or another role owns them, `inspect`
says why and the import takes the staging-table path instead.
"""

import re
from dataclasses import dataclass, field

# The search vector's expression (migration 0004), for the generated columns of staging and shadow.
DOCUMENT = "monitora_project_document(title, summary, procedure)"
# Primary keys and unique constraints that `ADD CONSTRAINT … USING INDEX` can rebuild exactly.
KEY = re.compile(r"^(PRIMARY KEY|UNIQUE) \([^)]*\)((?: DEFERRABLE)?(?: INITIALLY (?:DEFERRED|IMMEDIATE))?)$")


@dataclass
class Table:
    name: str
    shadow: str
    columns: list[str] = field(default_factory=list)  # CREATE TABLE column definitions
    # (name, type, definition, definition of its index for primary keys and unique constraints)
    constraints: list[tuple[str, str, str, str]] = field(default_factory=list)
    indexes: list[tuple[str, str]] = field(default_factory=list)  # (name, CREATE INDEX …)
    triggers: list[str] = field(default_factory=list)
    grants: list[tuple[str, str]] = field(default_factory=list)  # (privilege, grantee)
    sequence: str = ""  # the identity sequence's name
    renames: list[str] = field(default_factory=list)  # from `index_builds` and `attach`, run by `swap`


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _pointed(definition: str, name: str, table: str) -> str:
    """`CREATE [UNIQUE] INDEX x ON original …` as the same index, named `name`, on `table`."""
    head = re.match(r"CREATE (UNIQUE )?INDEX \S+ ON \S+ ", definition)
    return f"CREATE {head.group(1) or ''}INDEX {name} ON {table} {definition[head.end() :]}"


class ShadowCatalogue:
    """The shadow tables of one import run: created before loading, swapped in at the end."""

    def __init__(self, project: str, links: str, prefix: str):
        self.project = Table(project, f"{prefix}_project")
        self.links = Table(links, f"{prefix}_links")
        self.rows = f"{prefix}_rows"  # (id, file_no, line, record_no): duplicates and re-reads
        self.referencing: list[tuple[str, str, str]] = []  # FKs of other tables: (table, name, def)

    @property
    def tables(self) -> tuple[Table, Table]:
        return self.project, self.links

    def inspect(self, cursor) -> str:
        """Read the originals' definitions; return why they cannot be swapped ("" if they can)."""
        for table in self.tables:
            reason = self._unsupported(cursor, table.name)
            if reason:
                return reason
        for table in self.tables:
            self._read(cursor, table)
            for name, kind, definition, _index in table.constraints:
                if kind in "pu" and not KEY.match(definition):
                    return f"{table.name}: vincolo {name} non gestito ({definition})"
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE contype = 'f' AND confrelid = ANY(%s::regclass[]) AND conrelid <> ALL(%s::regclass[])",
            [[t.name for t in self.tables]] * 2,
        )
        self.referencing = cursor.fetchall()
        return ""

    def _unsupported(self, cursor, name: str) -> str:
        cursor.execute(
            "SELECT c.relkind, pg_get_userbyid(c.relowner) = current_user, "
            "obj_description(c.oid, 'pg_class') IS NOT NULL OR EXISTS "
            "(SELECT 1 FROM pg_description d WHERE d.objoid = c.oid AND d.objsubid > 0), "
            "EXISTS (SELECT 1 FROM pg_inherits i WHERE c.oid IN (i.inhrelid, i.inhparent)), "
            # Settings the shadow would not inherit: storage parameters, tablespace, row security,
            # replica identity, per-column statistics targets, storage or compression.
            "c.reloptions IS NOT NULL OR c.reltablespace <> 0 OR c.relrowsecurity OR c.relreplident <> 'd' "
            "OR EXISTS (SELECT 1 FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid "
            "WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND "
            "(coalesce(a.attstattarget, -1) <> -1 OR a.attstorage <> t.typstorage "
            "OR a.attcompression <> '')) "
            "FROM pg_class c WHERE c.oid = %s::regclass",
            [name],
        )
        kind, owned, commented, inherited, tuned = cursor.fetchone()
        if kind != "r" or inherited:
            return f"{name} non è una tabella semplice"
        if tuned:
            return f"{name} ha impostazioni proprie (parametri, tablespace, sicurezza per riga, statistiche)"
        if not owned:
            return f"{name} appartiene a un altro ruolo"
        if commented:
            return f"{name} ha commenti"
        # Objects that depend on the table and that the swap would not carry over.
        cursor.execute(
            "SELECT DISTINCT classid::regclass::text FROM pg_depend WHERE refclassid = 'pg_class'::regclass "
            "AND refobjid = %s::regclass AND classid NOT IN ('pg_attrdef'::regclass, "
            "'pg_constraint'::regclass, 'pg_trigger'::regclass, 'pg_class'::regclass, 'pg_type'::regclass)",
            [name],
        )
        others = [row[0] for row in cursor.fetchall()]
        return f"{name} ha oggetti dipendenti ({', '.join(others)})" if others else ""

    def _read(self, cursor, table: Table) -> None:
        cursor.execute(
            "SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, a.attidentity, "
            "a.attgenerated, pg_get_expr(d.adbin, d.adrelid), "
            "CASE WHEN a.attcollation <> t.typcollation THEN quote_ident(co.collname) END "
            "FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid "
            "LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
            "LEFT JOIN pg_collation co ON co.oid = a.attcollation "
            "WHERE a.attrelid = %s::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
            [table.name],
        )
        for name, type_, not_null, identity, generated, default, collation in cursor.fetchall():
            parts = [_quote(name), type_]
            if collation:
                parts.append(f"COLLATE {collation}")
            if table is self.project and name == "search_vector":
                # Computed by the loaders' COPY; becomes a plain column again at the swap.
                parts.append(f"GENERATED ALWAYS AS ({DOCUMENT}) STORED")
            elif identity:
                parts.append("GENERATED " + ("ALWAYS" if identity == "a" else "BY DEFAULT") + " AS IDENTITY")
            elif generated:
                parts.append(f"GENERATED ALWAYS AS ({default}) STORED")
            elif default is not None:
                parts.append(f"DEFAULT {default}")
            if not_null:
                parts.append("NOT NULL")
            table.columns.append(" ".join(parts))
        cursor.execute(
            "SELECT conname, contype, pg_get_constraintdef(oid), "
            "CASE WHEN contype IN ('p', 'u') THEN pg_get_indexdef(conindid) ELSE '' END FROM pg_constraint "
            "WHERE conrelid = %s::regclass "
            "ORDER BY CASE contype WHEN 'p' THEN 0 WHEN 'u' THEN 1 WHEN 'c' THEN 2 ELSE 3 END, conname",
            [table.name],
        )
        table.constraints = cursor.fetchall()
        cursor.execute(
            "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = %s::regclass AND NOT EXISTS "
            "(SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid AND k.conrelid = i.indrelid) "
            "ORDER BY c.relname",
            [table.name],
        )
        table.indexes = cursor.fetchall()
        cursor.execute(
            "SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal "
            "ORDER BY tgname",
            [table.name],
        )
        table.triggers = [row[0] for row in cursor.fetchall()]
        # Privileges as granted, the owner's included (an explicit list may withhold some from it).
        cursor.execute(
            "SELECT a.privilege_type, CASE WHEN a.grantee = 0 THEN 'PUBLIC' "
            "ELSE quote_ident(pg_get_userbyid(a.grantee)) END "
            "FROM pg_class c, aclexplode(c.relacl) a WHERE c.oid = %s::regclass",
            [table.name],
        )
        table.grants = cursor.fetchall()
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table.name])
        table.sequence = (cursor.fetchone()[0] or "").split(".")[-1].strip('"')

    def create_statements(self) -> list[str]:
        """DDL for the shadows (run by a committed connection, so that the loaders see them)."""
        statements = [f"CREATE TABLE {t.shadow} ({', '.join(t.columns)})" for t in self.tables]
        statements.append(
            f"CREATE UNLOGGED TABLE {self.rows} (id bigint, file_no integer, line integer, record_no bigint)"
        )
        return statements

    def drop_statements(self) -> list[str]:
        return [
            f"DROP TABLE IF EXISTS {name}" for name in (self.links.shadow, self.project.shadow, self.rows)
        ]

    def _on_shadows(self, definition: str) -> str:
        """A definition of the originals, pointed at the shadows (foreign keys between the two)."""
        for table in self.tables:
            definition = re.sub(rf"\b(public\.)?{table.name}(?=\()", table.shadow, definition)
        return definition

    def index_builds(self) -> list[str]:
        """Every index of both shadows (those of the keys too), the costliest first: independent
        statements that other connections can run side by side before the keys are attached."""
        builds = []
        for table in self.tables:
            for number, (_name, kind, _definition, index) in enumerate(table.constraints):
                if kind in "pu":
                    builds.append(_pointed(index, f"{table.shadow}_k{number}", table.shadow))
            for number, (name, definition) in enumerate(table.indexes):
                builds.append(_pointed(definition, f"{table.shadow}_i{number}", table.shadow))
                table.renames.append(f"ALTER INDEX {table.shadow}_i{number} RENAME TO {_quote(name)}")
        return sorted(builds, key=lambda statement: " USING gin " not in statement)

    def attach(self, cursor) -> None:
        """Keys on their built indexes, then check and foreign-key constraints, then statistics."""
        for table in self.tables:
            for number, (name, kind, definition, _index) in enumerate(table.constraints):
                if kind in "pu":
                    key, options = KEY.match(definition).groups()
                    self._add_constraint(
                        cursor, table, number, name, f"{key} USING INDEX {table.shadow}_k{number}{options}"
                    )
        for table in self.tables:
            for number, (name, kind, definition, _index) in enumerate(table.constraints):
                if kind not in "pu":
                    self._add_constraint(cursor, table, number, name, self._on_shadows(definition))
            cursor.execute(f"ANALYZE {table.shadow}")

    def _add_constraint(self, cursor, table: Table, number: int, name: str, definition: str) -> None:
        temporary = f"{table.shadow}_c{number}"
        cursor.execute(f"ALTER TABLE {table.shadow} ADD CONSTRAINT {temporary} {definition}")
        table.renames.append(f"ALTER TABLE {table.name} RENAME CONSTRAINT {temporary} TO {_quote(name)}")

    def swap(self, cursor) -> None:
        """Drop the empty originals and put the shadows in their place, names and all."""
        for table_name, name, _definition in self.referencing:
            cursor.execute(f"ALTER TABLE {table_name} DROP CONSTRAINT {_quote(name)}")
        cursor.execute(f"DROP TABLE {self.links.name}, {self.project.name}")
        for table in self.tables:
            cursor.execute(f"ALTER TABLE {table.shadow} RENAME TO {table.name}")
            if table is self.project:  # a plain column again, kept by the triggers below
                cursor.execute(f"ALTER TABLE {table.name} ALTER COLUMN search_vector DROP EXPRESSION")
            if table.sequence:
                cursor.execute(f"SELECT pg_get_serial_sequence('{table.name}', 'id')")
                cursor.execute(f"ALTER SEQUENCE {cursor.fetchone()[0]} RENAME TO {_quote(table.sequence)}")
            for statement in table.renames:
                cursor.execute(statement)
            for definition in table.triggers:
                cursor.execute(definition)
            if table.grants:  # an explicit list: start from nothing, as the original did
                cursor.execute(f"REVOKE ALL ON {table.name} FROM PUBLIC, CURRENT_USER")
            for privilege, grantee in table.grants:
                cursor.execute(f"GRANT {privilege} ON {table.name} TO {grantee}")
        for table_name, name, definition in self.referencing:
            cursor.execute(f"ALTER TABLE {table_name} ADD CONSTRAINT {_quote(name)} {definition}")
        cursor.execute(f"DROP TABLE {self.rows}")
