"""``make bench-search``: the catalog's full-text search at 100,000 datasets.

    python -m bench.search [--datasets 100000] [--runs 21]

Generates a catalog of ``--datasets`` datasets (titles in French, Dutch, German and English,
a French description, keywords, a publisher of 500, a theme, a distribution with a format and
a licence, a modification date) as N-Triples, loads it with ``psikg load`` into a fresh store,
then, on the embedded store (the same code reads the engine under ``psikg serve``):

- builds the text index from nothing (:func:`endpoint.catalog_index.refresh`) and prints the
  time, then the time of a refresh that finds nothing changed (the one query every page
  asks first);
- runs a first page, which reads the entries and facets into the worker's memory (as each
  worker does once after every change of the store), and prints its time;
- runs each search of :data:`SEARCHES` ``--runs`` times through
  :func:`endpoint.catalog_search.search` (the whole page's dict: the stamps query, the
  matches, the facet counts, the page's datasets checked against the store) and prints the
  median and the slowest, and the median over all searches.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from endpoint.catalog_index import connect
from endpoint.catalog_index import index_path
from endpoint.catalog_index import refresh
from endpoint.catalog_search import CatalogIndex
from endpoint.catalog_search import SearchRequest
from endpoint.catalog_search import search
from endpoint.resource_page import Linker
from endpoint.vocabulary import load as load_vocabulary
from graph.languages import fallback_order
from graph.store import Store

EX = "https://portal.example/"
DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"
FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
THEME = "http://publications.europa.eu/resource/authority/data-theme/"
LICENCE = "http://publications.europa.eu/resource/authority/licence/CC_BY_4_0"
WORDS = {
    "fr": ["réseau", "écoles", "budget", "marchés", "subsides", "voiries", "arbres", "eau",
           "énergie", "déchets", "population", "logements", "parcs", "bibliothèques", "santé"],
    "nl": ["netwerk", "scholen", "begroting", "opdrachten", "subsidies", "wegen", "bomen",
           "water", "energie", "afval", "bevolking", "woningen", "parken", "bibliotheken",
           "gezondheid"],
    "de": ["Netz", "Schulen", "Haushalt", "Aufträge", "Zuschüsse", "Straßen", "Bäume",
           "Wasser", "Energie", "Abfall", "Bevölkerung", "Wohnungen", "Parks", "Bibliotheken",
           "Gesundheit"],
    "en": ["network", "schools", "budget", "contracts", "grants", "roads", "trees", "water",
           "energy", "waste", "population", "housing", "parks", "libraries", "health"],
}
PLACES = ["Liège", "Namur", "Charleroi", "Mons", "Arlon", "Wavre", "Tournai", "Huy", "Spa",
          "Dinant", "Verviers", "Nivelles", "Ath", "Eupen", "Bastogne", "Gembloux"]
THEMES = ["AGRI", "ECON", "EDUC", "ENER", "ENVI", "GOVE", "HEAL", "JUST", "REGI", "SOCI",
          "TECH", "TRAN", "INTR"]
FORMATS = ["CSV", "JSON", "XLSX", "GEOJSON", "PDF", "XML"]
SEARCHES = [SearchRequest(q="reseau"), SearchRequest(q="ECOLES liege"),
            SearchRequest(q="Bevolkerung"), SearchRequest(q="water namur 2019"),
            SearchRequest(q="bibliotheques", chosen={"format": [FILE_TYPE + "CSV"]}),
            SearchRequest(q="energie", sort="modified"), SearchRequest(q="zzzz"),
            SearchRequest(q="budget", page=40)]


def generate(path: Path, datasets: int, seed: int = 13) -> None:
    """The catalog as N-Triples (about 17 triples a dataset)."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as out:
        for p in range(500):
            out.write(f'<{EX}body/{p}> <http://xmlns.com/foaf/0.1/name> "Commune {p}"@fr .\n')
        for i in range(datasets):
            d, topic, place = f"<{EX}dataset/{i}>", rng.randrange(15), rng.choice(PLACES)
            year = 2010 + i % 15
            lines = [f"{d} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{DCAT}Dataset>"]
            lines += [f'{d} <{DCT}title> "{WORDS[lang][topic].capitalize()} {place} {year}"@{lang}'
                      for lang in WORDS]
            other = WORDS["fr"][rng.randrange(15)]
            lines += [f'{d} <{DCT}description> "Les données {WORDS["fr"][topic]} de {place} '
                      f'en {year}, avec {other}, mises à jour chaque année par la commune."@fr',
                      f'{d} <{DCAT}keyword> "{WORDS["fr"][topic]}"@fr',
                      f'{d} <{DCAT}keyword> "{other}"@fr',
                      f"{d} <{DCT}publisher> <{EX}body/{rng.randrange(500)}>",
                      f"{d} <{DCAT}theme> <{THEME}{THEMES[topic % len(THEMES)]}>",
                      f'{d} <{DCT}modified> "{year}-{1 + i % 12:02d}-{1 + i % 28:02d}"'
                      "^^<http://www.w3.org/2001/XMLSchema#date>",
                      f"{d} <{DCAT}distribution> <{EX}distribution/{i}>",
                      f"<{EX}distribution/{i}> <{DCT}format> <{FILE_TYPE}{rng.choice(FORMATS)}>",
                      f"<{EX}distribution/{i}> <{DCT}license> <{LICENCE}>",
                      f"<{EX}distribution/{i}> <{DCAT}accessURL> <{EX}files/{i}.csv>"]
            out.write("".join(line + " .\n" for line in lines))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.search", description=__doc__)
    parser.add_argument("--datasets", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--keep", type=Path, metavar="DIR",
                        help="build the store in DIR and keep it; a store already there is "
                             "searched again (its index rebuilt) without generating it")
    parser.add_argument("--keep-index", action="store_true",
                        help="with --keep: search the index already there (rebuilt only if "
                             "the store changed) instead of building it from nothing")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="psikg-bench-search-") as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        data, store_path = folder / "catalog.nt", folder / "store"
        if not store_path.exists():
            started = time.perf_counter()
            generate(data, args.datasets)
            subprocess.run([str(Path(sys.executable).parent / "psikg"), "--store",
                            str(store_path), "load", str(data)], check=True,
                           stdout=subprocess.DEVNULL)
            data.unlink()
            print(f"catalog: {args.datasets:,} datasets generated and loaded in "
                  f"{time.perf_counter() - started:.1f} s", flush=True)
        for stale in folder.glob(f".{store_path.name}.psikg-search.sqlite*"):
            if not args.keep_index:
                stale.unlink()
        with Store(store_path) as store:
            path = index_path(store_path, None)
            started = time.perf_counter()
            refresh(connect(path), store)
            built = "kept, brought up to date" if args.keep_index else "built from nothing"
            print(f"index {built}: {time.perf_counter() - started:.1f} s "
                  f"({path.stat().st_size / 1e6:.0f} MB)", flush=True)
            started = time.perf_counter()
            refresh(connect(path), store)
            print(f"refresh with nothing changed: {(time.perf_counter() - started) * 1e3:.1f} ms")
            index, vocabulary = CatalogIndex(path), load_vocabulary()
            started = time.perf_counter()
            search(index, store, SearchRequest(), Linker(store.base_iri, vocabulary,
                                                         fallback_order("fr"), {}))
            print("first page after a change (the worker reads the entries and facets): "
                  f"{(time.perf_counter() - started) * 1e3:.0f} ms")
            medians = []
            for asked in SEARCHES:
                times, total = [], 0
                for _ in range(args.runs):
                    linker = Linker(store.base_iri, vocabulary, fallback_order("fr"), {})
                    started = time.perf_counter()
                    total = search(index, store, asked, linker)["total"]
                    times.append((time.perf_counter() - started) * 1e3)
                medians.append(statistics.median(times))
                facets = {k: list(v) for k, v in asked.chosen.items()}
                print(f"  q={asked.q!r:24} {facets or ''!s:10} page {asked.page:>2}: "
                      f"{total:>6,} found, median {medians[-1]:6.1f} ms, "
                      f"slowest {max(times):6.1f} ms")
            print(f"search, median of the medians: {statistics.median(medians):.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
