"""nginx in front of `motcua serve` on one machine: `motcua run` (so `make run`), the benchmarks and
the tests use deploy/nginx.conf.example itself, made local, so that they all run the production
set-up. nginx reads a request's headers and body before it asks the app, so slow or stalled clients
hold an nginx connection (cheap, event-driven) and never a server thread.
"""

from __future__ import annotations

import os
import re
import shutil
import textwrap
from pathlib import Path

DEPLOY_EXAMPLE = Path(__file__).resolve().parents[3] / "deploy" / "nginx.conf.example"

# A whole nginx.conf around the deploy example (which goes inside http {}).
NGINX = textwrap.dedent(
    """
    worker_processes 2;
    {user}
    pid {dir}/nginx.pid;
    error_log {dir}/nginx-error.log warn;
    events {{ worker_connections 1024; }}
    http {{
      access_log off;
      sendfile on;
      tcp_nopush on;
      keepalive_requests 100000;
      client_body_temp_path {dir}/client_body;
      proxy_temp_path {dir}/proxy;
      fastcgi_temp_path {dir}/fastcgi;
      uwsgi_temp_path {dir}/uwsgi;
      scgi_temp_path {dir}/scgi;
      {mime}
    {extra}
    {site}
    }}
    """
)


def nginx_binary() -> str | None:
    """nginx's path: on PATH, or in /usr/sbin, which a non-root user's PATH often lacks."""
    found = shutil.which("nginx")
    if found:
        return found
    return "/usr/sbin/nginx" if os.access("/usr/sbin/nginx", os.X_OK) else None


def nginx_command(work: Path, conf: Path) -> list[str]:
    """nginx in the foreground (its caller stops it), its files and early errors in `work`: no
    path outside it is written, so any user can run it."""
    binary = nginx_binary()
    if binary is None:
        raise FileNotFoundError("nginx")
    error_log = str(Path(work) / "nginx-error.log")
    return [binary, "-p", str(work), "-e", error_log, "-c", str(conf), "-g", "daemon off;"]


def listen_address(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def local_nginx_config(
    work: Path,
    *,
    port: int,
    app_port: int,
    pages_root,
    static_root,
    host: str = "127.0.0.1",
    extra_servers: str = "",
) -> str:
    """deploy/nginx.conf.example as a complete nginx.conf for this machine: plain HTTP on
    `host`:`port` instead of TLS (no redirect server), the app on 127.0.0.1:`app_port`, the given
    page and static directories; pid, log and temporary files in `work`. Runs as root or as any
    user who owns `work` (a port above 1023 then)."""
    site = DEPLOY_EXAMPLE.read_text()
    site, redirects = re.subn(r"\nserver \{[^{}]*return 301[^{}]*\}\n", "\n", site)
    assert redirects == 1, "deploy/nginx.conf.example: the port 80 redirect server changed"
    lines = []
    for line in site.splitlines():
        if re.match(r"\s*listen .*\b443\b", line):
            if "[::]" not in line:
                lines.append(f"    listen {listen_address(host, port)};")
        elif not re.match(r"\s*ssl_", line):
            lines.append(line)
    site = "\n".join(lines)
    for old, new in (
        ("server 127.0.0.1:8000;", f"server 127.0.0.1:{app_port};"),
        ("/srv/motcua/var/public;", f"{pages_root};"),
        ("/srv/motcua/var/static/;", f"{static_root}/;"),
        # $host drops the port, which on port 443 is implied; here the app must see it (CSRF
        # compares the browser's Origin with the Host).
        ("proxy_set_header Host $host;", "proxy_set_header Host $http_host;"),
    ):
        assert old in site, f"deploy/nginx.conf.example: {old} not found"
        site = site.replace(old, new)
    for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (Path(work) / name).mkdir(exist_ok=True)
    mime = Path("/etc/nginx/mime.types")
    return NGINX.format(
        dir=work,
        # As root, nginx's workers would run as nobody, who cannot read a private var/ directory.
        user="user root;" if os.geteuid() == 0 else "",
        mime=f"include {mime};" if mime.exists() else "",
        extra=extra_servers,
        site=site,
    )
