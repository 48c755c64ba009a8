"""Synthetic `progetti_esteso` files for the catalogue benchmark.

The header is the real 199-column one (release 2025-02-28); each column is filled with the real
fill rate of that release, and values are drawn from the real samples shipped in `data/`
(titles, themes, programmes, comuni, states), in the real format: `;`, quoted, UTF-8 with BOM,
decimal comma, YYYYMMDD dates, `:::` multi-values.
"""

import csv
import random
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data"
THEMES = [
    ("01", "Ricerca e innovazione"),
    ("02", "Reti e servizi digitali"),
    ("03", "Competitività delle imprese"),
    ("04", "Energia"),
    ("05", "Ambiente"),
    ("06", "Cultura e turismo"),
    ("07", "Trasporti e mobilità"),
    ("08", "Occupazione e lavoro"),
    ("09", "Inclusione sociale e salute"),
    ("11", "Istruzione e formazione"),
    ("13", "Capacità amministrativa"),
]
CYCLES = [
    ("1", "Ciclo di programmazione 2007-2013"),
    ("2", "Ciclo di programmazione 2014-2020"),
    ("3", "Ciclo di programmazione 2021-2027"),
]
STATES = ["In corso"] * 54 + ["Concluso"] * 34 + ["Non avviato"] * 8 + ["Liquidato"] * 4
PROCEDURAL = [
    "Non avviato",
    "In avvio di progettazione",
    "In corso di progettazione",
    "In affidamento",
    "In esecuzione",
    "Eseguito",
    "Non determinabile",
]
NATURES = [
    ("03", "REALIZZAZIONE DI LAVORI PUBBLICI (OPERE ED IMPIANTISTICA)"),
    ("02", "ACQUISTO O REALIZZAZIONE DI SERVIZI"),
    ("01", "ACQUISTO DI BENI"),
    ("06", "CONCESSIONE DI CONTRIBUTI AD ALTRI SOGGETTI (DIVERSI DA UNITA' PRODUTTIVE)"),
    ("07", "CONCESSIONE DI INCENTIVI AD UNITA' PRODUTTIVE"),
]
PREFIXES = ["1MISE", "3PIPBAN-", "1AGCOE", "10SI", "13TO", "1CL2", "1MATTMDGSTA_25_", "2PUFSE"]
ROLES = ["PROGRAMMATORE", "ATTUATORE", "BENEFICIARIO", "REALIZZATORE"]


def _read(path, delimiter=",", encoding="utf-8"):
    with open(path, encoding=encoding, newline="") as fh:
        return list(csv.DictReader(fh, delimiter=delimiter))


class Synth:
    def __init__(self, seed: int = 2025):
        self.rnd = random.Random(seed)
        cols = _read(DATA / "opencoesione/progetti-esteso-columns-20250228.csv")
        self.header = [c["colonna"] for c in cols]
        self.fill = [
            int(c["righe_popolate"]) / (int(c["righe_popolate"]) + int(c["righe_non_popolate"])) for c in cols
        ]
        beni = _read(DATA / "opencoesione/progetti-beni-confiscati-sample.csv", ";", "utf-8-sig")
        umbria = _read(DATA / "opencoesione/umbria-difesa-suolo-with-points.csv")
        self.titles = [r["OC_TITOLO_PROGETTO"] for r in beni] + [r["Intervention"] for r in umbria]
        self.words = sorted({w for t in self.titles for w in t.split() if len(w) > 3 and w.isalpha()})
        self.procedures = [r["DESCR_PROCED_ATTIVAZIONE"] for r in beni]
        self.comuni = _read(DATA / "territori/comuni-2023-centroidi.csv")
        progs = _read(DATA / "opencoesione/programmi-operativi-2019.csv")
        self.programmes = [(p["oc_codice_programma"], p["oc_descrizione_programma"]) for p in progs]

    def title(self) -> str:
        r = self.rnd
        return f"{r.choice(self.titles)} {r.choice(self.words)} {r.choice(self.words)}".strip()

    def cup(self) -> str:
        r = self.rnd
        head = f"{r.choice('ABCDEFGHIJ')}{r.randint(10, 99)}{r.choice('ABCDEFGH')}"
        return f"{head}{r.randint(0, 10**11 - 1):011d}"

    def amount(self) -> str:
        return f"{self.rnd.lognormvariate(11.5, 1.6):.2f}".replace(".", ",")

    def date(self) -> str:
        r = self.rnd
        return f"{r.randint(2008, 2025)}{r.randint(1, 12):02d}{r.randint(1, 28):02d}"

    def row(self, i: int) -> list[str]:
        """A row: a pre-generated body (the other ~170 columns) with fresh identity, place and money."""
        if not hasattr(self, "_pool"):
            self._positions = {name: n for n, name in enumerate(self.header)}
            self._pool = [self.full_row(n) for n in range(5000)]
        out = list(self.rnd.choice(self._pool))
        for name, value in self.identity(i).items():
            out[self._positions[name]] = value
        return out

    def identity(self, i: int) -> dict[str, str]:
        r = self.rnd
        comuni = [r.choice(self.comuni) for _ in range(2 if r.random() < 0.06 else 1)]
        progs = [r.choice(self.programmes) for _ in range(2 if r.random() < 0.05 else 1)]
        theme = r.choice(THEMES)
        prefix = PREFIXES[i % len(PREFIXES)]
        return {
            "COD_LOCALE_PROGETTO": f"{prefix}{i:08d}",
            "CUP": self.cup(),
            "OC_TITOLO_PROGETTO": self.title(),
            "OC_LINK": f"www.opencoesione.gov.it/progetti/{prefix.lower()}{i:08d}",
            "OC_COD_TEMA_SINTETICO": theme[0],
            "OC_TEMA_SINTETICO": theme[1],
            "OC_CODICE_PROGRAMMA": ":::".join(p[0] for p in progs),
            "OC_DESCRIZIONE_PROGRAMMA": ":::".join(p[1] for p in progs),
            "COD_REGIONE": ":::".join("0" + c["codice_regione"] for c in comuni),
            "DEN_REGIONE": ":::".join(c["regione"].upper() for c in comuni),
            "COD_PROVINCIA": ":::".join("0" + c["codice_regione"] + c["codice_provincia"] for c in comuni),
            "DEN_PROVINCIA": ":::".join(c["provincia"].upper() for c in comuni),
            "COD_COMUNE": ":::".join("0" + c["codice_regione"] + c["codice_istat_comune"] for c in comuni),
            "DEN_COMUNE": ":::".join(c["comune"].upper() for c in comuni),
            "FINANZ_TOTALE_PUBBLICO": self.amount(),
            "OC_FINANZ_TOT_PUB_NETTO": self.amount(),
            "TOT_PAGAMENTI": self.amount(),
            "IMPEGNI": self.amount(),
            "OC_DATA_INIZIO_PROGETTO": self.date(),
            "OC_STATO_PROGETTO": r.choice(STATES),
        }

    def full_row(self, i: int) -> list[str]:
        r = self.rnd
        comuni = [r.choice(self.comuni) for _ in range(2 if r.random() < 0.06 else 1)]
        theme = r.choice(THEMES)
        cycle = r.choice(CYCLES)
        progs = [r.choice(self.programmes) for _ in range(2 if r.random() < 0.05 else 1)]
        nature = r.choice(NATURES)
        fixed = {
            "COD_LOCALE_PROGETTO": f"{PREFIXES[i % len(PREFIXES)]}{i:08d}",
            "CUP": self.cup(),
            "OC_TITOLO_PROGETTO": self.title(),
            "OC_SINTESI_PROGETTO": f"{r.choice(self.procedures)} {self.title()}".lower(),
            "OC_LINK": f"www.opencoesione.gov.it/progetti/{PREFIXES[i % len(PREFIXES)].lower()}{i:08d}",
            "OC_COD_CICLO": cycle[0],
            "OC_DESCR_CICLO": cycle[1],
            "OC_COD_TEMA_SINTETICO": theme[0],
            "OC_TEMA_SINTETICO": theme[1],
            "OC_CODICE_PROGRAMMA": ":::".join(p[0] for p in progs),
            "OC_DESCRIZIONE_PROGRAMMA": ":::".join(p[1] for p in progs),
            "CUP_COD_NATURA": nature[0],
            "CUP_DESCR_NATURA": nature[1],
            "COD_REGIONE": ":::".join("0" + c["codice_regione"] for c in comuni),
            "DEN_REGIONE": ":::".join(c["regione"].upper() for c in comuni),
            "COD_PROVINCIA": ":::".join("0" + c["codice_regione"] + c["codice_provincia"] for c in comuni),
            "DEN_PROVINCIA": ":::".join(c["provincia"].upper() for c in comuni),
            "COD_COMUNE": ":::".join("0" + c["codice_regione"] + c["codice_istat_comune"] for c in comuni),
            "DEN_COMUNE": ":::".join(c["comune"].upper() for c in comuni),
            "OC_STATO_PROGETTO": r.choice(STATES),
            "OC_STATO_FINANZIARIO": r.choice(STATES),
            "OC_STATO_PROCEDURALE": r.choice(PROCEDURAL),
            "DESCR_PROCED_ATTIVAZIONE": r.choice(self.procedures),
            "DATA_AGGIORNAMENTO": "20250228",
        }
        out = []
        for name, fill in zip(self.header, self.fill, strict=True):
            if name in fixed:
                value = fixed[name] if (fill > 0.99 or r.random() < fill) else ""
            elif r.random() >= fill:
                value = ""
            elif name.startswith(
                (
                    "FINANZ_",
                    "OC_FINANZ_",
                    "ECONOMIE",
                    "IMPEGNI",
                    "OC_IMPEGNI",
                    "TOT_PAG",
                    "OC_TOT_PAG",
                    "COSTO_",
                    "OC_COSTO",
                    "OC_PAGAMENTI",
                    "PROGRAMMATO_",
                    "REALIZZATO_",
                )
            ):
                value = self.amount() if r.random() < 0.3 else "0,00"
            elif name.startswith(("DATA_", "OC_DATA_")):
                value = self.date()
            elif name.startswith("OC_FLAG_"):
                value = "1" if r.random() < 0.1 else "0"
            elif name.startswith("OC_TOTALE_"):
                value = str(r.randint(1, 3))
            elif name.startswith(
                ("OC_DENOM_", "OC_DESCR_", "DESCR", "DEN_", "DESCRIZIONE_", "OC_DENOMINAZIONE")
            ):
                value = " ".join(r.choice(self.words) for _ in range(r.randint(2, 5)))
            elif name.startswith("OC_CODFISC_"):
                value = f"{r.randint(0, 10**11 - 1):011d}"
            else:
                value = f"{r.choice('ABCDEFGHKLMN')}{r.randint(1, 9999)}"
            out.append(value)
        return out


def write_file(path: Path, rows: int, seed: int = 2025) -> Path:
    """Write `rows` synthetic projects to `path` (skipped when an identical file is already there)."""
    marker = path.with_suffix(".done")
    if path.exists() and marker.exists() and marker.read_text() == f"{rows}:{seed}":
        return path
    synth = Synth(seed)
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, delimiter=";", quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        writer.writerow(synth.header)
        for i in range(rows):
            writer.writerow(synth.row(i))
    marker.write_text(f"{rows}:{seed}")
    return path
