#!/usr/bin/env python3
"""Make a one-layer OCI image layout from a root filesystem directory, without any engine.

usage: oci_image.py ROOTFS LAYOUT TAG ARCH [KEY=VALUE ...]

ROOTFS becomes a single layer (a deterministic tar: sorted names, numeric owners, one fixed
mtime, gzip without name or time), with a config for linux/ARCH whose Env is the KEY=VALUE
arguments and whose Cmd is python3. LAYOUT gets oci-layout, index.json (TAG as the
org.opencontainers.image.ref.name annotation) and blobs/sha256/. The world uses it for bases of
a foreign architecture: their files are unpacked here but can never run on this machine, so no
engine (nor `umoci repack`, which wants to chown as the image's users) is involved.

Device nodes, /proc and /sys contents and apt's caches are left out, as in published images.
"""

import gzip
import hashlib
import io
import json
import os
import stat
import sys
import tarfile

# One mtime for every entry: the rootfs was unpacked just now, its own times say nothing.
EPOCH = 0
# Directories published images ship empty (the runtime mounts them).
EMPTY_DIRS = ("dev", "proc", "sys", "run", "tmp", "var/cache/apt/archives", "var/lib/apt/lists")


def entries(root: str):
    """Yield (relative path, lstat) in tar order; symlinks are never followed."""
    stack = [""]
    while stack:
        rel = stack.pop()
        full = os.path.join(root, rel) if rel else root
        st = os.lstat(full)
        if rel:
            yield rel, st
        if stat.S_ISDIR(st.st_mode) and rel not in EMPTY_DIRS:
            for name in sorted(os.listdir(full), reverse=True):
                stack.append(f"{rel}/{name}" if rel else name)


def layer_tar(root: str, out) -> None:
    """Write ROOTFS as a tar to the binary file out."""
    seen_inodes: dict[tuple[int, int], str] = {}
    with tarfile.open(fileobj=out, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for rel, st in entries(root):
            full = os.path.join(root, rel)
            mode = st.st_mode
            if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) or stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode):
                continue
            # /proc -> /proc style links (debootstrap in a container) become plain directories.
            if stat.S_ISLNK(mode) and rel in EMPTY_DIRS:
                info = tarfile.TarInfo(rel)
                info.type = tarfile.DIRTYPE
                info.mode = 0o555 if rel in ("proc", "sys") else 0o755
                info.mtime = EPOCH
                tar.addfile(info)
                continue
            info = tarfile.TarInfo(rel)
            info.mode = stat.S_IMODE(mode)
            info.uid, info.gid = st.st_uid, st.st_gid
            info.uname = info.gname = ""
            info.mtime = EPOCH
            key = (st.st_dev, st.st_ino)
            if stat.S_ISDIR(mode):
                info.type = tarfile.DIRTYPE
                tar.addfile(info)
            elif stat.S_ISLNK(mode):
                info.type = tarfile.SYMTYPE
                info.linkname = os.readlink(full)
                tar.addfile(info)
            elif stat.S_ISREG(mode) and st.st_nlink > 1 and key in seen_inodes:
                info.type = tarfile.LNKTYPE
                info.linkname = seen_inodes[key]
                tar.addfile(info)
            elif stat.S_ISREG(mode):
                if st.st_nlink > 1:
                    seen_inodes[key] = rel
                info.size = st.st_size
                with open(full, "rb") as f:
                    tar.addfile(info, f)


class Hashing(io.RawIOBase):
    """A write-only file that hashes and counts what goes through it to another file."""

    def __init__(self, target) -> None:
        self.target = target
        self.sha = hashlib.sha256()
        self.size = 0

    def writable(self) -> bool:
        return True

    def tell(self) -> int:
        # tarfile asks where the stream starts; it never seeks.
        return self.size

    def write(self, b) -> int:
        self.sha.update(b)
        self.size += len(b)
        self.target.write(b)
        return len(b)


def put_blob(layout: str, data: bytes) -> dict:
    digest = hashlib.sha256(data).hexdigest()
    with open(os.path.join(layout, "blobs", "sha256", digest), "wb") as f:
        f.write(data)
    return {"digest": f"sha256:{digest}", "size": len(data)}


def canonical(obj) -> bytes:
    return json.dumps(obj, sort_keys=True, separators=(",", ":")).encode()


def main() -> int:
    if len(sys.argv) < 5:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    root, layout, tag, arch, *env = sys.argv[1:]
    blobs = os.path.join(layout, "blobs", "sha256")
    os.makedirs(blobs, exist_ok=True)

    # tar -> gzip -> file, hashing both the tar (diff_id) and the blob (digest) on the way.
    tmp = os.path.join(blobs, ".layer.tmp")
    with open(tmp, "wb") as raw:
        blob = Hashing(raw)
        with gzip.GzipFile(filename="", mode="wb", fileobj=blob, mtime=0, compresslevel=6) as gz:
            tar = Hashing(gz)
            layer_tar(root, tar)
    layer = {
        "mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
        "digest": f"sha256:{blob.sha.hexdigest()}",
        "size": blob.size,
    }
    os.replace(tmp, os.path.join(blobs, blob.sha.hexdigest()))

    config = {
        "architecture": arch,
        "os": "linux",
        "created": "1970-01-01T00:00:00Z",
        "config": {"Env": env, "Cmd": ["python3"]},
        "rootfs": {"type": "layers", "diff_ids": [f"sha256:{tar.sha.hexdigest()}"]},
        "history": [{"created": "1970-01-01T00:00:00Z",
                     "created_by": "scripts/world/arm64-base: debootstrap --foreign, unpacked"}],
    }
    if arch == "arm64":
        config["variant"] = "v8"
    config_desc = {"mediaType": "application/vnd.oci.image.config.v1+json", **put_blob(layout, canonical(config))}
    manifest = {
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": config_desc,
        "layers": [layer],
    }
    manifest_desc = {
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        **put_blob(layout, canonical(manifest)),
        "platform": {"architecture": arch, "os": "linux", **({"variant": "v8"} if arch == "arm64" else {})},
        "annotations": {"org.opencontainers.image.ref.name": tag},
    }
    with open(os.path.join(layout, "oci-layout"), "w") as f:
        f.write('{"imageLayoutVersion":"1.0.0"}')
    index = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json", "manifests": [manifest_desc]}
    with open(os.path.join(layout, "index.json"), "wb") as f:
        f.write(canonical(index))
    print(f"{manifest_desc['digest']} layer {layer['digest']} {layer['size']} bytes (tar {tar.size})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
