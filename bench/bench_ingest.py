"""Benchmark: reading notices as they arrive (PDF, Word, web pages), speed and fidelity.

Run by hand from the repository root (the bench extra adds pdfplumber, a PDF candidate; LibreOffice,
fonts-noto-cjk and poppler-utils must be installed: apt-get install libreoffice-writer-nogui
fonts-noto-cjk poppler-utils):

    python bench/bench_ingest.py                 # the corpus of tests/ingest_corpus.py (39 real notices)
    python bench/bench_ingest.py --sets heldout11   # fewer notices

It renders the real notices as .docx, PDF and .doc (tests/ingest_corpus.py), then reports:
- PDF candidates: pages per second, and for how many notices the deadlines read from each candidate's
  text equal those of the plain text (ids, kinds, dates): pypdfium2 with calendar-svc's layout rebuilding
  (what ships), pypdfium2's plain text, pdfminer.six (pdfplumber's engine) and poppler's pdftotext;
- seconds per .docx and per .doc / .wps (LibreOffice);
- web pages in a government frame: notices whose deadlines differ from the plain text when the whole
  page is read, and with trafilatura's article (what ships); and the time to fetch and extract a page
  with two attachments (PDF and .docx) from a loopback server.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from calendar_svc.extract import extract  # noqa: E402
from calendar_svc.ingest import html_to_text, read_document  # noqa: E402
from calendar_svc.ingest.text import decode_text  # noqa: E402
from gov_site import Site, government_page  # noqa: E402
import ingest_corpus  # noqa: E402

warnings.filterwarnings("ignore")


def deadlines_of(path: Path) -> list[tuple]:
    return sorted((d.id, d.kind, str(d.start), str(d.end)) for d in extract([str(path)]).deadlines)


def as_text(folder: Path, stem: str, text: str) -> Path:
    path = folder / f"{stem}.txt"  # the notice's own name: a title-less notice is named by its file
    path.write_text(text, encoding="utf-8")
    return path


def pdf_candidates(notices: list[Path], pdfs: dict[str, Path], work: Path) -> None:
    import pypdfium2 as pdfium

    def ours(path: Path) -> str:
        return read_document(str(path)).text

    def pdfium_plain(path: Path) -> str:
        document = pdfium.PdfDocument(str(path))
        return "\n".join(page.get_textpage().get_text_range() for page in document).replace("\r\n", "\n")

    def pdfminer(path: Path) -> str:
        from pdfminer.high_level import extract_text

        return extract_text(str(path))

    def pdftotext(path: Path) -> str:
        return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True).stdout.decode()

    pages = sum(len(pdfium.PdfDocument(str(p))) for p in pdfs.values())
    print(f"\nPDF: {len(pdfs)} documents, {pages} pages (LibreOffice from .docx, 仿宋_GB2312 → Noto CJK)")
    print("| candidate | pages/s | notices with the plain text's deadlines |")
    print("|---|---|---|")
    for name, read in (("pypdfium2 + layout rebuilding (ships)", ours), ("pypdfium2 get_text_range", pdfium_plain),
                       ("pdfminer.six (pdfplumber) extract_text", pdfminer), ("poppler pdftotext", pdftotext)):
        try:
            started = time.perf_counter()
            texts = {stem: read(path) for stem, path in pdfs.items()}
            seconds = time.perf_counter() - started
        except (ImportError, FileNotFoundError) as exc:
            print(f"| {name} | not installed ({exc}) | |")
            continue
        folder = work / name.split()[0].replace(".", "")
        folder.mkdir(exist_ok=True)
        same = sum(deadlines_of(as_text(folder, n.stem, texts[n.stem])) == deadlines_of(n) for n in notices)
        print(f"| {name} | {pages / seconds:.0f} | {same} of {len(notices)} |")


def word_speed(notices: list[Path], root: Path) -> None:
    docx = sorted(root.glob("*.docx"))
    started = time.perf_counter()
    for path in docx:
        read_document(str(path))
    per_docx = (time.perf_counter() - started) / len(docx)
    legacy = sorted((root / "doc").glob("*.doc"))[:5]
    times = []
    for path in legacy:
        started = time.perf_counter()
        read_document(str(path))
        times.append(time.perf_counter() - started)
    print(f"\nWord: {per_docx * 1000:.1f} ms per .docx ({len(docx)} files); "
          f"{statistics.median(times):.2f} s per .doc through LibreOffice (median of {len(times)}, one conversion each)")
    same = sum(deadlines_of(root / "doc" / f"{n.stem}.doc") == deadlines_of(n) for n in notices)
    print(f"  .doc: {same} of {len(notices)} notices with the plain text's deadlines")


def web(notices: list[Path], root: Path, work: Path) -> None:
    from calendar_svc.ingest.web import Response, _page

    whole = article = 0
    started = time.perf_counter()
    for notice in notices:
        lines = ingest_corpus.paragraphs(notice.read_text("utf-8"))
        title, body = ("", lines) if len(lines[0]) > 60 else (lines[0], lines[1:])
        page = government_page(title, body)
        text, _ = decode_text("page", page, "gbk")
        plain = deadlines_of(notice)
        whole += deadlines_of(as_text(work / "whole", notice.stem, html_to_text(text))) == plain
        document, _ = _page(f"http://127.0.0.1/tzgg/{notice.stem}.html", Response(url="x", body=page, charset=""))
        article += deadlines_of(as_text(work / "article", notice.stem, document.text)) == plain
    print(f"\nWeb pages in a government frame ({len(notices)} notices, GBK):")
    print(f"  whole page read: {whole} of {len(notices)} with the plain text's deadlines")
    print(f"  trafilatura article + headline (ships): {article} of {len(notices)}")
    own = next(n for n in notices if n.stem.startswith("07_")) if any(n.stem.startswith("07_") for n in notices) else notices[0]
    with Site() as site:
        lines = ingest_corpus.paragraphs(own.read_text("utf-8"))
        site.add("/upload/a.pdf", (root / "pdf" / f"{own.stem}.pdf").read_bytes(), "application/pdf")
        site.add("/upload/b.docx", (root / f"{notices[1].stem}.docx").read_bytes(), "application/octet-stream")
        url = site.add("/tzgg/1.html", government_page(lines[0], lines[1:], attachments=[("附件1.pdf", "/upload/a.pdf"), ("附件2.docx", "/upload/b.docx")]))
        times = []
        for _ in range(10):
            started = time.perf_counter()
            result = extract([url])
            times.append(time.perf_counter() - started)
        assert len(result.files) == 3 and not result.errors
    print(f"  fetch + extract a page with two attachments (PDF, .docx) from loopback: {statistics.median(times) * 1000:.0f} ms (median of 10)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sets", nargs="*", default=None, help="tests/data sets to render (default: the test corpus)")
    args = parser.parse_args()
    notices = ingest_corpus.notice_files(tuple(args.sets)) if args.sets else ingest_corpus.NOTICES
    ingest_corpus.NOTICES[:] = notices
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as folder:
        work = Path(folder)
        started = time.perf_counter()
        root = ingest_corpus.render_all(work / "rendered")
        print(f"rendered {len(notices)} notices as .docx, PDF and .doc in {time.perf_counter() - started:.1f} s (two LibreOffice runs)")
        for sub in ("whole", "article"):
            (work / sub).mkdir()
        pdf_candidates(notices, {n.stem: root / "pdf" / f"{n.stem}.pdf" for n in notices}, work)
        word_speed(notices, root)
        web(notices, root, work)


if __name__ == "__main__":
    main()
