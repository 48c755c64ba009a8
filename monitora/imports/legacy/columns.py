"""The legacy CSV columns, declared once: where each goes and how its text is converted.

Source format: `level73/Monithon` `scripts/dataset_monithon.csv` (sample in
`data/monithon/legacy-reports-sample.csv`). Every cell is read as a string and converted
explicitly; a converter raises ValueError (a `CellError` names the kind of problem) with the
reason in Italian.
"""

import datetime as dt
import re
import unicodedata
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError

from monitora.core.weburls import clean_web_url
from monitora.imports.models import NoteKind
from monitora.questionnaires.definitions import LEGACY
from monitora.reports.models import ReportLink
from monitora.teams.models import AuthorCategory

# Legacy timestamps without an offset are Italian local time (the platform's).
ROME = ZoneInfo("Europe/Rome")
SUBJECT_SEPARATOR = ":::"  # OpenCoesione joins multiple values with ':::'

# Answer columns have the key of the `legacy` questionnaire question they answer.
ANSWER_COLUMNS = tuple(q.key for q in LEGACY.questions)

REPORT_COLUMNS = (
    "ID_Monithon2",
    "titolo",
    "autore",
    "id_open_coesione",
    "indirizzo",
    "cap",
    "lat_",
    "lon_",
    "report_created_at",
    "tab_3_created_at",
    "twitter",
    "cod_grande_progetto",
)
REQUIRED_VALUES = ("ID_Monithon2", "titolo", "report_created_at")

# Account and ASOC-profile columns → Team fields (the values of an account's first record).
TEAM_COLUMNS = {
    "username": "name",
    "remote_id": "external_id",
    "istituto": "school_name",
    "tipo_istituto": "school_type",
    "regione": "school_region",
    "provincia": "school_province",
    "comune": "school_municipality",
    "Type_auth": "category_label",
}

# Links of one report: stored on the report, never on its team (one account wrote many reports).
LINK_COLUMNS = {
    "link_blog": ReportLink.Kind.BLOG,
    "link_elaborato": ReportLink.Kind.CREATIVE_WORK,
    "immagine_monitoraggio_daASOC": ReportLink.Kind.IMAGE,
    "video_daASOC": ReportLink.Kind.VIDEO,
    "immagine_team1_daASOC": ReportLink.Kind.TEAM_IMAGE,
    "immagine_team2_daASOC": ReportLink.Kind.TEAM_IMAGE,
    "immagine_team3_daASOC": ReportLink.Kind.TEAM_IMAGE,
}

# OpenCoesione record at report time → snapshot keys named like the Project fields.
SNAPSHOT_COLUMNS = {
    "oc_titolo_progetto": "title",
    "oc_tema_sintetico": "theme",
    "oc_data_inizio_progetto": "start_date",
    "oc_data_fine_progetto_effettiva": "actual_end_date",
    "oc_stato_progetto": "state",
    "oc_finanz_tot_pub_netto": "net_public_funding",
    "oc_descrizione_programma": "programmes",
    "oc_descr_ciclo": "cycle",
    "data_aggiornamento": "source_updated_on",
}
ROLE_COLUMNS = {
    '"ruoli":["Programmatore"]': "Programmatore",
    '"ruoli":["Attuatore"]': "Attuatore",
    '"ruoli":["Beneficiario"]': "Beneficiario",
    '"ruoli":["Realizzatore"]': "Realizzatore",
}

# System and account columns: empty in the public data set, meaningless outside the old platform.
IGNORED_COLUMNS = (
    "idreport_basic",
    "api_data",
    "report_modified_at",
    "created_by",
    "reviewed_by",
    "status",
    "status_tab_3",
    "idauth",
    "city",
    "role",
    "active",
    "privacy",
    "created_at",
    "modified_at",
    "idasoc",
    "auth",
)
# Personal data of the full private file: never read, never stored.
PRIVATE_COLUMNS = ("email", "secondary_email", "password", "recover", "bio", "avatar")

REQUIRED_COLUMNS = (
    *REPORT_COLUMNS,
    *ANSWER_COLUMNS,
    *TEAM_COLUMNS,
    *LINK_COLUMNS,
    *SNAPSHOT_COLUMNS,
    *ROLE_COLUMNS,
)

# Model field → source column, to name the column when a model check refuses a value.
FIELD_COLUMNS = {
    "team": {**{field: column for column, field in TEAM_COLUMNS.items()}, "handle": "twitter"},
    "report": {
        "legacy_id": "ID_Monithon2",
        "title": "titolo",
        "author_name": "autore",
        "handle": "twitter",
        "opencoesione_url": "id_open_coesione",
        "address": "indirizzo",
        "postcode": "cap",
        "latitude": "lat_",
        "longitude": "lon_",
        "submitted_at": "report_created_at",
        "impact_submitted_at": "tab_3_created_at",
        "project_code": "cod_grande_progetto",
        "url": "immagine/video_daASOC",
    },
}

# OpenCoesione's synthetic themes (OC_COD_TEMA_SINTETICO) under every label the archive used, so
# that one theme is one facet. Keys are folded with `fold_label`.
THEME_CODES = {
    "01": ("ricerca e innovazione",),
    "02": ("agenda digitale", "reti e servizi digitali"),
    "03": ("competitivita per le imprese", "competitivita delle imprese", "competitivita imprese"),
    "04": ("energia", "energia e efficienza energetica", "energia ed efficienza energetica"),
    "05": ("ambiente", "ambiente e prevenzione dei rischi"),
    "06": ("cultura e turismo", "attrazione culturale, naturale e turistica"),
    "07": ("trasporti", "trasporti e mobilita", "trasporti e infrastrutture a rete"),
    "08": ("occupazione", "occupazione e lavoro", "occupazione e mobilita dei lavoratori"),
    "09": ("inclusione sociale", "inclusione sociale e salute"),
    "10": ("infanzia e anziani", "servizi di cura infanzia e anziani"),
    "11": ("istruzione", "istruzione e formazione"),
    "12": ("citta e aree rurali", "rinnovamento urbano e rurale"),
    "13": (
        "capacita amministrativa",
        "rafforzamento capacita della pa",
        "rafforzamento delle capacita della pa",
    ),
}
# OC_COD_CICLO: the programming cycle.
CYCLE_CODES = {"2007-2013": "1", "2014-2020": "2", "2021-2027": "3"}


class CellError(ValueError):
    """A cell that fails its check; `kind` is the data-quality note kind it becomes."""

    kind = NoteKind.INVALID


class OutOfRange(CellError):
    kind = NoteKind.OUT_OF_RANGE


class NotAUrl(CellError):
    kind = NoteKind.NOT_A_URL


def fold_label(label: str) -> str:
    """Case, accents, apostrophes and spacing ignored: 'Città  e aree rurali' = 'citta e aree rurali'."""
    text = unicodedata.normalize("NFKD", label.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).replace("'", " ")
    return " ".join(text.split())


_THEME_BY_LABEL = {label: code for code, labels in THEME_CODES.items() for label in labels}


def to_theme_code(label: str) -> str:
    code = _THEME_BY_LABEL.get(fold_label(label))
    if code is None:
        raise CellError(f"tema {label!r} non riconosciuto tra i temi sintetici di OpenCoesione")
    return code


def to_cycle_code(label: str) -> str:
    for years, code in CYCLE_CODES.items():
        if years in label:
            return code
    raise CellError(f"ciclo di programmazione {label!r} non riconosciuto")


_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def to_flag(value: str) -> bool:
    """Flags are '1' or empty (the old platform dropped its zeros); the problem flags also use '0'."""
    if value in ("1", "0"):
        return value == "1"
    raise ValueError(f"valore {value!r} non ammesso: atteso '1', '0' o vuoto")


def to_created_at(value: str) -> dt.datetime:
    """`YYYY-MM-DD` (Italian midnight) or `YYYY-MM-DD HH:MM:SS.ffff[ff]+00` (UTC)."""
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return dt.datetime.combine(dt.date.fromisoformat(value), dt.time(), tzinfo=ROME)
        if re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?\+00", value):
            return dt.datetime.fromisoformat(value)
    except ValueError:
        pass
    raise ValueError(f"data non valida {value!r}: attesa AAAA-MM-GG oppure AAAA-MM-GG hh:mm:ss.ffffff+00")


def to_step3_at(value: str) -> dt.datetime:
    try:
        naive = dt.datetime.strptime(value, "%d-%m-%y %H:%M")  # noqa: DTZ007 - local time, zone added below
    except ValueError:
        raise ValueError(f"data non valida {value!r}: attesa GG-MM-AA hh:mm") from None
    return naive.replace(tzinfo=ROME)


def to_oc_date(value: str) -> dt.date:
    try:
        if re.fullmatch(r"\d{8}", value):
            return dt.date(int(value[:4]), int(value[4:6]), int(value[6:]))
    except ValueError:
        pass
    raise ValueError(f"data non valida {value!r}: attesa AAAAMMGG")


def _number(value: str, what: str) -> str:
    if "," in value and _NUMBER.fullmatch(value.replace(",", ".")):
        raise ValueError(f"{what} {value!r} con la virgola: in questo file si usa il punto decimale")
    if not _NUMBER.fullmatch(value):
        raise ValueError(f"valore non valido per {what} {value!r}: atteso un numero con il punto decimale")
    return value


def to_coordinate(value: str, *, limit: int) -> float:
    number = float(_number(value, "coordinata"))
    if not -limit <= number <= limit:
        raise OutOfRange(f"coordinata {value!r} fuori intervallo (da -{limit} a {limit})")
    return number


def to_amount(value: str) -> Decimal:
    return Decimal(_number(value, "importo")).quantize(Decimal("0.01"))


def to_url(value: str) -> str:
    url = value if "://" in value else f"https://{value}"
    try:
        return clean_web_url(url)  # the site's one web-address check (no credentials, http(s) only)
    except ValidationError:
        raise NotAUrl(f"URL non valido {value!r}") from None


def to_handle(value: str) -> str:
    """A Twitter handle without '@', URL prefix or the '?s=..' share suffix people pasted."""
    handle = value.split("?", 1)[0].strip().rstrip("/")
    handle = re.sub(r"^(https?://)?(www\.)?(twitter|x)\.com/", "", handle)
    return handle.lstrip("@").strip()


def to_category(label: str) -> str:
    """Map the free-text author type onto the team categories (the label itself is kept too)."""
    text = label.casefold()
    if text.startswith("asoc"):
        return AuthorCategory.ASOC_SECONDARY
    if "higher education" in text or "universit" in text:
        return AuthorCategory.UNIVERSITY
    if "local community" in text:
        return AuthorCategory.CITIZEN
    return AuthorCategory.OTHER
