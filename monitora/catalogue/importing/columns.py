"""OpenCoesione source columns -> Project fields, found by header name (the header drifts between
releases), and a file's `Layout`. Known columns Monitora does not show or search (`SKIPPED`) are not
stored; columns the importer does not know end up in `Project.raw`."""

from dataclasses import dataclass, field


class ImportFileError(Exception):
    """The file as a whole cannot be imported (unreadable, required columns missing...)."""


@dataclass(frozen=True)
class Column:
    field: str
    sources: tuple[str, ...]
    kind: str = "text"  # text | decimal | date | list
    required: bool = False
    max_length: int | None = None


COLUMNS: tuple[Column, ...] = (
    Column("code", ("COD_LOCALE_PROGETTO", "LOCALPROJECTCODE"), required=True, max_length=100),
    Column("cup", ("CUP",), max_length=20),
    Column("title", ("OC_TITOLO_PROGETTO", "INTERVENTION"), required=True),
    Column("summary", ("OC_SINTESI_PROGETTO",)),
    Column("theme_code", ("OC_COD_TEMA_SINTETICO",), max_length=10),
    Column("theme", ("OC_TEMA_SINTETICO",), max_length=200),
    Column("cycle_code", ("OC_COD_CICLO",), max_length=10),
    Column("cycle", ("OC_DESCR_CICLO",), max_length=200),
    Column("programme_codes", ("OC_CODICE_PROGRAMMA",), kind="list"),
    Column("programmes", ("OC_DESCRIZIONE_PROGRAMMA",), kind="list"),
    Column("fund_code", ("OC_COD_FONTE",), max_length=20),
    Column("fund", ("OC_DESCR_FONTE",), max_length=200),
    Column("public_funding", ("FINANZ_TOTALE_PUBBLICO", "TOTALPUBLICFUNDING"), kind="decimal"),
    Column("net_public_funding", ("OC_FINANZ_TOT_PUB_NETTO",), kind="decimal"),
    Column("payments", ("TOT_PAGAMENTI",), kind="decimal"),
    Column("commitments", ("IMPEGNI",), kind="decimal"),
    Column("state", ("OC_STATO_PROGETTO",), max_length=100),
    Column("financial_state", ("OC_STATO_FINANZIARIO",), max_length=100),
    Column("procedural_state", ("OC_STATO_PROCEDURALE",), max_length=100),
    Column("start_date", ("OC_DATA_INIZIO_PROGETTO",), kind="date"),
    Column("planned_end_date", ("OC_DATA_FINE_PROGETTO_PREVISTA",), kind="date"),
    Column("actual_end_date", ("OC_DATA_FINE_PROGETTO_EFFETTIVA",), kind="date"),
    Column("cup_nature_code", ("CUP_COD_NATURA",), max_length=10),
    Column("cup_nature", ("CUP_DESCR_NATURA",), max_length=200),
    Column("cup_sector", ("CUP_DESCR_SETTORE",), max_length=200),
    Column("procedure_code", ("COD_PROCED_ATTIVAZIONE",), max_length=50),
    Column("procedure", ("DESCR_PROCED_ATTIVAZIONE",)),
    Column("oc_visibility", ("OC_FLAG_VISUALIZZAZIONE",), max_length=4),
    Column("source_updated_on", ("DATA_AGGIORNAMENTO",), kind="date"),
)

ROLES = ("PROGRAMMATORE", "ATTUATORE", "BENEFICIARIO", "REALIZZATORE")  # labelled "Programmatore"...
SUBJECT_PARTS = {"name": "OC_DENOM_{}", "tax_code": "OC_CODFISC_{}", "legal_form": "OC_DESCR_FORMA_GIU_{}"}

# Territory columns: codes drive the links to Territory; names are used when codes are missing.
PLACE_COLUMNS = {
    "region_codes": ("COD_REGIONE", "COD_REGION"),
    "province_codes": ("COD_PROVINCIA", "COD_PROVINCE"),
    "comune_codes": ("COD_COMUNE", "COD_MUNICIPALITY"),
    "region_names": ("DEN_REGIONE", "DEN_REGION"),
    "province_names": ("DEN_PROVINCIA", "DEN_PROVINCE"),
    "comune_names": ("DEN_COMUNE", "DEN_MUNICIPALITY"),
}

PHASES = "STUDIO_FATT PROG_PREL PROG_DEF PROG_ESEC AGG_BANDO STIP_ATTRIB ESECUZIONE COLLAUDO".split()
# Known progetti_esteso columns Monitora does not store (described in docs/import-catalogue.md).
SKIPPED = frozenset(
    """OC_LINK COD_GRANDE_PROGETTO DESCRIZIONE_GRANDE_PROGETTO FONDO_COMUNITARIO COD_OB_TEMATICO
    DESCR_OB_TEMATICO COD_PRIORITA_INVEST DESCR_PRIORITA_INVEST OC_COD_CATEGORIA_SPESA
    OC_DESCR_CATEGORIA_SPESA
    OC_ARTICOLAZIONE_PROGRAMMA OC_SUBARTICOLAZIONE_PROGRAMMA OC_COD_ARTICOLAZ_PROGRAMMA
    OC_DESCR_ARTICOLAZ_PROGRAMMA OC_COD_SUBARTICOLAZ_PROGRAMMA OC_DESCR_SUBARTICOLAZ_PROGRAMMA COD_STRUMENTO
    DESCR_STRUMENTO DESCR_TIPO_STRUMENTO CUP_COD_TIPOLOGIA CUP_DESCR_TIPOLOGIA CUP_COD_SETTORE
    CUP_COD_SOTTOSETTORE CUP_COD_CATEGORIA COD_ATECO
    DESCRIZIONE_ATECO OC_COD_TIPO_AIUTO OC_DESCR_TIPO_AIUTO OC_MACROAREA OC_COD_SLL OC_DENOMINAZIONE_SLL
    FINANZ_UE FINANZ_UE_FESR FINANZ_UE_FSE FINANZ_UE_FEASR FINANZ_UE_FEAMP FINANZ_UE_IOG
    FINANZ_STATO_FONDO_DI_ROTAZIONE FINANZ_STATO_FSC FINANZ_STATO_PAC FINANZ_STATO_COMPLETAMENTI
    FINANZ_STATO_ALTRI_PROVVEDIMENTI FINANZ_REGIONE FINANZ_PROVINCIA FINANZ_COMUNE FINANZ_RISORSE_LIBERATE
    FINANZ_ALTRO_PUBBLICO FINANZ_STATO_ESTERO FINANZ_PRIVATO FINANZ_DA_REPERIRE ECONOMIE_TOTALI
    ECONOMIE_TOTALI_PUBBLICHE OC_FINANZ_UE_NETTO OC_FINANZ_UE_FESR_NETTO OC_FINANZ_UE_FSE_NETTO
    OC_FINANZ_UE_FEASR_NETTO OC_FINANZ_UE_FEAMP_NETTO OC_FINANZ_UE_IOG_NETTO OC_FINANZ_STATO_FONDO_ROT_NETTO
    OC_FINANZ_STATO_FSC_NETTO OC_FINANZ_STATO_PAC_NETTO OC_FINANZ_STATO_COMPL_NETTO
    OC_FINANZ_STATO_ALTRI_PROV_NETTO OC_FINANZ_REGIONE_NETTO OC_FINANZ_PROVINCIA_NETTO OC_FINANZ_COMUNE_NETTO
    OC_FINANZ_RISORSE_LIBERATE_NETTO OC_FINANZ_ALTRO_PUBBLICO_NETTO OC_FINANZ_STATO_ESTERO_NETTO
    OC_FINANZ_PRIVATO_NETTO OC_COSTO_COESIONE OC_IMPEGNI_GIURID_VINCOLANTI OC_IMPEGNI_TRASFERIMENTI
    OC_IMPEGNI_COESIONE OC_TOT_PAGAMENTI_BENEFICIARI OC_TOT_PAGAMENTI_TRASFERIMENTI COSTO_REALIZZATO
    COSTO_RENDICONTABILE_UE OC_TOT_PAGAMENTI_RENDICONTAB_UE OC_TOT_PAGAMENTI_FSC OC_TOT_PAGAMENTI_PAC
    OC_PAGAMENTI_COESIONE OC_COD_FASE_CORRENTE OC_DESCR_FASE_CORRENTE COD_TIPO_PROCED_ATTIVAZIONE
    DESCR_TIPO_PROCED_ATTIVAZIONE OC_COD_FORMA_GIU_PROGRAMMATORE OC_TOTALE_PROGRAMMATORI
    OC_COD_FORMA_GIU_ATTUATORE OC_TOTALE_ATTUATORI OC_COD_FORMA_GIU_BENEFICIARIO OC_TOTALE_BENEFICIARI
    OC_COD_FORMA_GIU_REALIZZATORE OC_TOTALE_REALIZZATORI OC_TOTALE_INDICATORI OC_FLAG_REGIONE_UNICA
    OC_FLAG_PAC OC_FLAG_CUP""".split()
    + [f"DATA_{p}_{s}" for p in ("INIZIO_PREV", "INIZIO_EFF", "FINE_PREV", "FINE_EFF") for s in PHASES]
    + [f"{p}_INDICATORE_{n}" for p in "COD DESCR UNITA_MISURA PROGRAMMATO REALIZZATO".split() for n in "1234"]
)

# Project fields written from a cleaned row, in staging / insert order.
DATA_FIELDS = [c.field for c in COLUMNS] + ["subjects", "raw", "source_hash"]


def normalise_header(name: str) -> str:
    return name.replace("\ufeff", "").strip().strip('"').strip().upper()


@dataclass
class Layout:
    """Where each thing the importer reads sits in one file's header."""

    header: list[str]
    delimiter: str
    fields: list[tuple[int | None, Column]] = field(default_factory=list)  # COLUMNS order
    subjects: list[tuple[str, dict[str, int]]] = field(default_factory=list)  # (role, {part: position})
    places: dict[str, int] = field(default_factory=dict)  # PLACE_COLUMNS key -> position
    raw: list[tuple[int, str]] = field(default_factory=list)  # unknown columns kept in Project.raw
    read: list[int] = field(default_factory=list)  # every position the importer reads

    @classmethod
    def from_header(cls, header: list[str], delimiter: str) -> "Layout":
        names = [normalise_header(h) for h in header]
        index = {name: i for i, name in reversed(list(enumerate(names)))}
        layout = cls(header=names, delimiter=delimiter)
        layout.fields = [(next((index[s] for s in c.sources if s in index), None), c) for c in COLUMNS]
        if missing := [c.sources[0] for p, c in layout.fields if p is None and c.required]:
            raise ImportFileError(f"colonne obbligatorie mancanti: {', '.join(missing)}")
        for role in ROLES:
            if parts := {
                part: index[c] for part, tpl in SUBJECT_PARTS.items() if (c := tpl.format(role)) in index
            }:
                layout.subjects.append((role.capitalize(), parts))
        for key, sources in PLACE_COLUMNS.items():
            if (position := next((index[s] for s in sources if s in index), None)) is not None:
                layout.places[key] = position
        used = {p for p, _c in layout.fields if p is not None}
        used |= {p for _label, parts in layout.subjects for p in parts.values()}
        has_codes = any(k.endswith("_codes") for k in layout.places)
        # Place names are kept (in raw) only when the file has no codes to resolve places with.
        used |= {p for key, p in layout.places.items() if key.endswith("_codes") or has_codes}
        layout.raw = [(i, n) for i, n in enumerate(names) if i not in used and n not in SKIPPED and n]
        layout.read = sorted(used | set(layout.places.values()) | {p for p, _n in layout.raw})
        return layout
