"""Numbers from query strings: one refusal of non-finite values for every page.

`Decimal("NaN")`, `Decimal("sNaN")`, `float("Infinity")` and `1e999` parse without complaint and
then break comparisons, queries or caches (issue 16, finding 3: a 500 on `?min=NaN`). Every
numeric parameter goes through these helpers; what they refuse is an `InvalidNumber`, a
`BadRequest` that `core.views.bad_request` shows as a 400 page naming the parameter.
"""

import re
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation

from django.core.exceptions import BadRequest
from django.utils.translation import gettext as _

# NaN, sNaN, qNaN with an optional payload, inf, infinity; any case, sign and surrounding space.
_NON_FINITE = re.compile(r"\s*[+-]?(?:[sq]?nan\d*|inf(?:inity)?)\s*", re.IGNORECASE)
# An amount the Italian way: 1.234.567,89 or 1234567.89 (no exponent: 1e999 is not an amount).
_AMOUNT = re.compile(r"\d{1,15}(?:[.,]\d{1,2})?|\d{1,3}(?:\.\d{3}){1,4}(?:,\d{1,2})?")
MAX_AMOUNT = Decimal("1e15")


class InvalidNumber(BadRequest):
    """A numeric query parameter we refuse; the message names it and is safe to show."""


def is_non_finite(raw: str | None) -> bool:
    return bool(raw) and _NON_FINITE.fullmatch(raw) is not None


def _refuse(name: str) -> InvalidNumber:
    return InvalidNumber(
        _("Il parametro «%(name)s» deve essere un numero finito: NaN e Infinity non sono ammessi.")
        % {"name": name}
    )


def refuse_non_finite(query: Mapping, names: Iterable[str]) -> None:
    """400 when any of `names` holds a non-finite number (for lenient parsers that would
    otherwise silently ignore it)."""
    for name in names:
        values = query.getlist(name) if hasattr(query, "getlist") else [query.get(name)]
        if any(is_non_finite(v) for v in values):
            raise _refuse(name)


def parse_amount(raw: str | None, *, name: str) -> Decimal | None:
    """An amount in euro (Italian or plain notation), None when empty; anything else is a 400."""
    raw = (raw or "").strip()
    if not raw:
        return None
    if is_non_finite(raw):
        raise _refuse(name)
    if not _AMOUNT.fullmatch(raw):
        raise InvalidNumber(
            _("Il parametro «%(name)s» deve essere un importo in euro, es. 150000 o 1.500.000,50.")
            % {"name": name}
        )
    if "," in raw or raw.count(".") > 1 or re.fullmatch(r"\d{1,3}(?:\.\d{3})+", raw):
        raw = raw.replace(".", "").replace(",", ".")
    try:
        amount = Decimal(raw)
    except InvalidOperation:  # pragma: no cover - the pattern admits only digits
        raise _refuse(name) from None
    if not amount.is_finite() or amount > MAX_AMOUNT:
        raise _refuse(name)
    return amount


def parse_coordinate(raw: str | None, *, name: str, limit: float) -> float | None:
    """A latitude (limit 90) or longitude (limit 180) in decimal degrees, None when empty;
    anything else is a 400 naming the parameter rather than a silently ignored "near me"."""
    raw = (raw or "").strip()
    if not raw:
        return None
    if is_non_finite(raw):
        raise _refuse(name)
    try:
        number = float(raw)
    except ValueError:
        number = None
    if number is None or abs(number) > limit:
        raise InvalidNumber(
            _("Il parametro «%(name)s» deve essere un numero di gradi tra -%(limit)d e %(limit)d, es. 41.9.")
            % {"name": name, "limit": limit}
        )
    return number
