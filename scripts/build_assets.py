"""Copy the front-end libraries installed by `npm ci` into dangjian/static/vendor/.

Fails if a copied file would load anything from the network (intranets are offline). XML
namespaces and licence comments contain http:// too, so the check looks for loading syntax.
"""

import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NM = ROOT / "node_modules"
OUT = ROOT / "dangjian" / "static" / "vendor"
FILES = {
    "@tabler/core/dist/css/tabler.min.css": "tabler/tabler.min.css",
    "@tabler/core/dist/js/tabler.min.js": "tabler/tabler.min.js",
    "htmx.org/dist/htmx.min.js": "htmx/htmx.min.js",
    "echarts/dist/echarts.min.js": "echarts/echarts.min.js",
    "tom-select/dist/js/tom-select.complete.min.js": "tom-select/tom-select.complete.min.js",
    "tom-select/dist/css/tom-select.bootstrap5.min.css": "tom-select/tom-select.bootstrap5.min.css",
}
LOADING = re.compile(
    r"""url\(\s*['"]?(https?:)?//|@import\s+(url\()?['"]?(https?:)?//|"""
    r"""\b(src|href)\s*=\s*['"](https?:)?//[^'"]*\.(js|css|woff2?|ttf)"""
)


def main() -> int:
    bad = []
    for src, dst in FILES.items():
        source = NM / src
        if not source.exists():
            print(f"missing {source}: run `npm ci` first", file=sys.stderr)
            return 1
        target = OUT / dst
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        text = target.read_text(encoding="utf-8", errors="replace")
        bad += [f"{dst}: {m.group(0)}" for m in LOADING.finditer(text)]
    if bad:
        print("network references in vendored assets:\n" + "\n".join(bad), file=sys.stderr)
        return 1
    print(f"assets: {len(FILES)} files in {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
