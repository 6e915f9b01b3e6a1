#!/usr/bin/env python3
"""Build the world's wheel index: one PEP 503 "simple" tree over several wheel stores.

usage: make_index.py OUT_DIR HASH_CACHE SOURCE...

Each SOURCE is either `simple:DIR` (a directory holding a PEP 503 tree: DIR/<project>/index.html
with links to the files, relative to that page) or `flat:DIR` (a directory of wheels and sdists,
like pip's --find-links). The result is OUT_DIR/simple/<project>/index.html linking to
OUT_DIR/files/<filename> (symlinks to the real files) with a sha256 fragment, so that lock files
made against it record http://HOST:PORT/files/<filename>. A file name seen twice is served once
(first source wins). Hashes of flat files are cached in HASH_CACHE (a JSON file) by path, size
and mtime.
"""

import hashlib
import html
import json
import os
import re
import shutil
import sys
import urllib.parse

LINK = re.compile(r"<a\s+([^>]*)>([^<]*)</a>", re.IGNORECASE)
HREF = re.compile(r'href\s*=\s*"([^"]*)"', re.IGNORECASE)
REQUIRES_PYTHON = re.compile(r'data-requires-python\s*=\s*"([^"]*)"', re.IGNORECASE)


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def project_of(filename: str) -> str | None:
    if filename.endswith(".whl"):
        return normalize(filename.split("-")[0])
    for ext in (".tar.gz", ".zip", ".tar.bz2"):
        if filename.endswith(ext):
            stem = filename[: -len(ext)]
            if "-" not in stem:
                return None
            return normalize(stem.rsplit("-", 1)[0])
    return None


def sha256_of(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def main() -> int:
    out, hash_cache_path, *sources = sys.argv[1:]
    try:
        with open(hash_cache_path) as f:
            hash_cache = json.load(f)
    except (OSError, ValueError):
        hash_cache = {}

    # project -> {filename: (path, sha256 or None, requires_python or None)}
    projects: dict[str, dict[str, tuple[str, str | None, str | None]]] = {}
    seen: set[str] = set()

    def add(project: str, filename: str, path: str, digest: str | None, rp: str | None) -> None:
        if filename in seen or not os.path.isfile(path):
            return
        seen.add(filename)
        projects.setdefault(project, {})[filename] = (path, digest, rp)

    for source in sources:
        kind, _, root = source.partition(":")
        if not os.path.isdir(root):
            continue
        if kind == "simple":
            for entry in sorted(os.listdir(root)):
                page = os.path.join(root, entry, "index.html")
                if not os.path.isfile(page):
                    continue
                with open(page, encoding="utf-8", errors="replace") as f:
                    text = f.read()
                for attrs, _label in LINK.findall(text):
                    m = HREF.search(attrs)
                    if not m:
                        continue
                    href = html.unescape(m.group(1))
                    url, _, fragment = href.partition("#")
                    rp = REQUIRES_PYTHON.search(attrs)
                    path = os.path.normpath(
                        os.path.join(root, entry, urllib.parse.unquote(url))
                    )
                    filename = os.path.basename(path)
                    digest = fragment[len("sha256="):] if fragment.startswith("sha256=") else None
                    add(normalize(entry), filename, path, digest,
                        html.unescape(rp.group(1)) if rp else None)
        elif kind == "flat":
            for filename in sorted(os.listdir(root)):
                project = project_of(filename)
                if project is None:
                    continue
                path = os.path.join(root, filename)
                add(project, filename, path, None, None)
        else:
            print(f"make_index: unknown source kind {kind!r}", file=sys.stderr)
            return 2

    tmp = out + ".tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(os.path.join(tmp, "files"))
    os.makedirs(os.path.join(tmp, "simple"))
    for project in sorted(projects):
        links = []
        for filename in sorted(projects[project]):
            path, digest, rp = projects[project][filename]
            if digest is None:
                st = os.stat(path)
                key = f"{path}:{st.st_size}:{int(st.st_mtime)}"
                digest = hash_cache.get(key)
                if digest is None:
                    digest = sha256_of(path)
                    hash_cache[key] = digest
            os.symlink(path, os.path.join(tmp, "files", filename))
            attrs = f'href="../../files/{urllib.parse.quote(filename)}#sha256={digest}"'
            if rp:
                attrs += f' data-requires-python="{html.escape(rp)}"'
            links.append(f"<a {attrs}>{html.escape(filename)}</a><br/>")
        os.makedirs(os.path.join(tmp, "simple", project))
        with open(os.path.join(tmp, "simple", project, "index.html"), "w") as f:
            f.write("<!DOCTYPE html><html><body>\n" + "\n".join(links) + "\n</body></html>\n")
    with open(os.path.join(tmp, "simple", "index.html"), "w") as f:
        f.write("<!DOCTYPE html><html><body>\n")
        for project in sorted(projects):
            f.write(f'<a href="{project}/">{project}</a><br/>\n')
        f.write("</body></html>\n")
    with open(os.path.join(tmp, "layerwise-world.json"), "w") as f:
        json.dump({"kind": "layerwise-world-index", "projects": len(projects),
                   "files": len(seen)}, f)
        f.write("\n")

    old = out + ".old"
    shutil.rmtree(old, ignore_errors=True)
    if os.path.exists(out):
        os.rename(out, old)
    os.rename(tmp, out)
    shutil.rmtree(old, ignore_errors=True)

    os.makedirs(os.path.dirname(hash_cache_path) or ".", exist_ok=True)
    with open(hash_cache_path + ".tmp", "w") as f:
        json.dump(hash_cache, f)
    os.replace(hash_cache_path + ".tmp", hash_cache_path)
    print(f"index: {len(projects)} projects, {len(seen)} files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
