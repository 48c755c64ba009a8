"""Read queries of a fixed shape, compiled to SQL once per process.

Django compiles a queryset into SQL on every evaluation: 0.3–0.6 ms of Python for the small reads
of a report page, several times what PostgreSQL takes to run the prepared statement
(docs/benchmarks.md). A `CompiledQuery` is written as an ordinary queryset in which the values that
change between calls are `Bind("name", field)` placeholders; its SQL, the column names and the
converters the ORM would apply are kept from the first call, and each call only binds the values.

Only the read paths that every uncached public page runs use it; anything else stays a queryset.
"""

from collections.abc import Callable
from typing import Any

from django.db import connections, models
from django.db.models import Expression, QuerySet
from django.db.models.query import ModelIterable, ValuesIterable, ValuesListIterable


class Bind(Expression):
    """A named value of a `CompiledQuery`, bound at each call. `field` types it (and prepares the
    value for the database); it stands where a filter's value would."""

    def __init__(self, name: str, field: models.Field):
        super().__init__(output_field=field)
        self.name = name

    def as_sql(self, compiler, connection):
        return "%s", [self]

    def __repr__(self) -> str:
        return f"Bind({self.name!r})"

    @classmethod
    def many(cls, name: str, field: models.Field, count: int) -> list["Bind"]:
        """`count` placeholders for an `__in` list, bound by `numbered(name, values)`."""
        return [cls(f"{name}{i}", field) for i in range(count)]


def numbered(name: str, values: list[Any]) -> dict[str, Any]:
    """The values of `Bind.many(name, ...)`."""
    return {f"{name}{i}": value for i, value in enumerate(values)}


class _Compiled:
    def __init__(self, queryset: QuerySet, alias: str):
        query = queryset.query
        compiler = query.get_compiler(using=alias)
        self.sql, self.params = compiler.as_sql()
        if query.select_related or queryset._prefetch_related_lookups:
            raise ValueError("a CompiledQuery reads one table's rows or values, without related rows")
        if queryset._iterable_class not in (ModelIterable, ValuesIterable, ValuesListIterable):
            raise ValueError("a CompiledQuery gives model instances, dicts or tuples (not flat or named)")
        if queryset._iterable_class is ModelIterable and (query.annotation_select or query.extra_select):
            raise ValueError("a CompiledQuery of model instances reads only the model's own fields")
        self.compiler = compiler
        columns = [expression for expression, _sql, _alias in compiler.select]
        self.converters = compiler.get_converters(columns)
        if queryset._iterable_class in (ValuesIterable, ValuesListIterable):
            self.names = [*query.extra_select, *query.values_select, *query.annotation_select]
            self.model = None
        else:
            self.names = [column.target.attname for column in columns]
            self.model = queryset.model
        self.flat = queryset._iterable_class is ValuesListIterable

    def bound(self, values: dict[str, Any], connection) -> list[Any] | None:
        """The parameters with `values` bound; None when an integer is out of its column's range
        (e.g. an id from a URL): no row can hold it, and the database would refuse it."""
        missing = {p.name for p in self.params if isinstance(p, Bind)} - values.keys()
        if missing:
            raise TypeError(f"missing values for {sorted(missing)}")
        params = []
        for p in self.params:
            if isinstance(p, Bind):
                field, p = p.output_field, p.output_field.get_db_prep_value(values[p.name], connection)
                if isinstance(field, models.IntegerField) and p is not None:
                    low, high = connection.ops.integer_field_range(field.get_internal_type())
                    if (low is not None and p < low) or (high is not None and p > high):
                        return None
            params.append(p)
        return params


class CompiledQuery:
    """`build(*shape)` returns the queryset, with `Bind` placeholders; calling the `CompiledQuery`
    with those names runs it: a list of model instances (`Model.from_db`, only the selected
    fields), of dicts for `.values()`, of tuples for `.values_list()`. `shape` (e.g. the length of
    an `__in` list) is part of the SQL, so each shape is compiled once. A `Bind` stands for a value
    compared for equality: an integer its column cannot hold matches no row (the query is not run),
    as Django's own lookups treat it."""

    def __init__(self, build: Callable[..., QuerySet], *, using: str = "default"):
        self.build, self.using = build, using
        self._compiled: dict[tuple, _Compiled] = {}

    def __call__(self, *, shape: tuple = (), **values: Any) -> list[Any]:
        connection = connections[self.using]
        key = (connection.vendor, connection.settings_dict["NAME"], *shape)
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = self._compiled[key] = _Compiled(self.build(*shape), self.using)
        params = compiled.bound(values, connection)
        if params is None:
            return []  # every Bind stands in an equality: a value no column holds matches nothing
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        if compiled.converters:
            rows = list(compiled.compiler.apply_converters(rows, compiled.converters))
        if compiled.model is not None:
            return [compiled.model.from_db(self.using, compiled.names, row) for row in rows]
        if compiled.flat:
            return [tuple(row) for row in rows]
        return [dict(zip(compiled.names, row, strict=True)) for row in rows]
