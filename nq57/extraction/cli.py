"""``nq57 extract PATH... [--format json|jsonl|table]``.

json (one file): exactly the schema shape; several files or a folder: use jsonl (one document per line).
Errors go to stderr in Vietnamese; the exit code is 1 when an input could not be extracted, 2 for bad usage.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import ExtractionError, extract_file

SUPPORTED = {".txt", ".md", ".docx", ".pdf", ".html", ".htm"}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # Vietnamese usage errors
        self.print_usage(sys.stderr)
        print(f"Lỗi tham số: {message}", file=sys.stderr)
        raise SystemExit(2)


def _build() -> argparse.ArgumentParser:
    p = _Parser(prog="nq57 extract", description="Trích xuất nhiệm vụ từ thông báo kết luận / chương trình hành động.")
    p.add_argument("paths", nargs="+", help="tệp hoặc thư mục")
    p.add_argument("--format", choices=("json", "jsonl", "table"), default=None,
                   help="json (một tệp), jsonl (mỗi dòng một văn bản), table (bảng dễ đọc)")
    return p


def _files(paths: list[str]) -> list[Path]:
    out: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            out += sorted(f for f in p.iterdir() if f.is_file() and f.suffix.lower() in SUPPORTED)
        else:
            out.append(p)
    return out


def _cut(s: str | None, n: int) -> str:
    s = s or ""
    return s if len(s) <= n else s[: n - 1] + "…"


def _table(result: dict) -> str:
    n = result["notice"]
    lines = [f"{result.get('source') or ''}  số {n.get('number') or '-'}  ngày {n.get('date') or '-'}  "
             f"({n.get('kind')})  {len(result['tasks'])} nhiệm vụ, {len(result['targets'])} chỉ tiêu"]
    lines.append(f"{'Mục':<10} {'Chủ trì':<40} {'Thời hạn':<22} Nội dung")
    for t in result["tasks"]:
        dl = t["deadline"]
        due = dl["kind"] + (f" {dl['due']}" if dl.get("due") else "")
        lines.append(f"{_cut(t['path'], 10):<10} {_cut('; '.join(t['lead']), 40):<40} {_cut(due, 22):<22} "
                     f"{_cut(t['text'], 70)}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = _build().parse_args(sys.argv[1:] if argv is None else argv)
    files = _files(args.paths)
    fmt = args.format or ("json" if len(files) == 1 and not Path(args.paths[0]).is_dir() else "jsonl")
    if fmt == "json" and len(files) != 1:
        print("Lỗi: định dạng json chỉ dùng cho một tệp; với nhiều tệp hãy dùng --format jsonl.", file=sys.stderr)
        return 2
    if not files:
        print("Lỗi: không tìm thấy tệp nào để trích xuất.", file=sys.stderr)
        return 1
    status = 0
    out = sys.stdout
    for f in files:
        try:
            result = extract_file(f)
        except ExtractionError as exc:
            print(f"{f}: {exc}", file=sys.stderr)
            status = 1
            continue
        if fmt == "json":
            out.write(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
        elif fmt == "jsonl":
            out.write(json.dumps(result, ensure_ascii=False) + "\n")
        else:
            out.write(_table(result) + "\n\n")
    return status


if __name__ == "__main__":
    sys.exit(main())
