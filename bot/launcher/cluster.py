"""`make cluster` — nginx in front of N gateways, N Rasa servers and N action servers on one machine.

All replicas share Redis (tracker and lock store, ticket streams, console events, rate limits, dedupe, the live
model's announcement) and one database (PostgreSQL). Each tier calls the next through nginx (deploy/nginx/), so a
replica that dies is skipped and no request names a particular process. Ports: the public one (CLUSTER_PORT,
default 8080), nginx's internal Rasa and action ports (+1, +2), and for replica i the gateway (+10+i), Rasa (+20+i)
and action server (+30+i). docs/scaling.md describes the topology and its Kubernetes form (deploy/k8s/).
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from string import Template

import httpx

from bot.core.config import PROJECT_ROOT, get_settings
from bot.launcher.stack import Stack, StackConfig

NGINX_TEMPLATE = PROJECT_ROOT / "deploy" / "nginx" / "cluster.conf.template"
TIERS = ("gateway", "rasa", "actions")


@dataclass
class ClusterConfig:
    model: Path
    redis_url: str
    database_url: str
    front_port: int = 8080
    replicas: int = 2
    redis_key_prefix: str = "accessline"
    runtime_dir: Path = PROJECT_ROOT / "data" / "cluster"
    extra_env: dict[str, str] = field(default_factory=dict)
    ports: dict[str, list[int]] = field(default_factory=dict)  # tier -> port of each replica (default: see above)
    lock_lifetime_seconds: int = 10  # a killed Rasa's conversation lock frees itself this soon (Rasa default 60)

    def port_of(self, tier: str, index: int) -> int:
        if tier in self.ports:
            return self.ports[tier][index]
        return self.front_port + {"gateway": 10, "rasa": 20, "actions": 30}[tier] + index


class Cluster:
    """The processes of every replica, plus nginx; kill one (`kill`) and start it again (`restart`)."""

    def __init__(self, config: ClusterConfig) -> None:
        self.config = config
        self.url = f"http://127.0.0.1:{config.front_port}"
        self.rasa_lb = f"http://127.0.0.1:{config.front_port + 1}"
        self.actions_lb = f"http://127.0.0.1:{config.front_port + 2}"
        shared = {
            "TICKET_LOCK_LIFETIME": str(config.lock_lifetime_seconds),
            # A turn after a killed Rasa waits up to the lock lifetime for its conversation's lock, then runs: the
            # gateway waits that long plus a busy turn, rather than asking the resident to say it again.
            "RASA_TIMEOUT_SECONDS": str(config.lock_lifetime_seconds + 20),
            "DATA_DIR": str(config.runtime_dir / "data"),  # one secrets file for every gateway (first one writes it)
        } | config.extra_env
        token = os.environ.get("RASA_TOKEN") or secrets.token_urlsafe(24)
        internal = os.environ.get("INTERNAL_API_TOKEN") or secrets.token_urlsafe(24)
        voice = os.environ.get("VOICE_WS_TOKEN") or secrets.token_urlsafe(24)
        self.replicas: list[Stack] = []
        for index in range(config.replicas):
            stack = Stack(
                StackConfig(
                    model=config.model,
                    port=config.port_of("gateway", index),
                    rasa_port=config.port_of("rasa", index),
                    actions_port=config.port_of("actions", index),
                    redis_url=config.redis_url,
                    database_url=config.database_url,
                    runtime_dir=config.runtime_dir / f"r{index + 1}",
                    log_dir=config.runtime_dir / "logs" / f"r{index + 1}",
                    redis_key_prefix=config.redis_key_prefix,
                    extra_env=shared | ({} if index == 0 else {"TRAINING_RUNNER": "false"}),  # one training queue
                    rasa_url=self.rasa_lb,
                    actions_url=self.actions_lb,
                    gateway_url=self.url,
                    rasa_workers=1,
                )
            )
            stack.token, stack.internal_token, stack.voice_ws_token = token, internal, voice
            self.replicas.append(stack)
        self.nginx: subprocess.Popen | None = None
        self._nginx_temp: Path | None = None

    # --- nginx ----------------------------------------------------------------------------------------------------

    def nginx_conf(self) -> Path:
        """deploy/nginx/cluster.conf.template with this cluster's ports and directories."""
        runtime = self.config.runtime_dir
        logs = runtime / "logs"
        logs.mkdir(parents=True, exist_ok=True)
        temp = runtime / "nginx-temp"
        if os.geteuid() == 0:  # workers run as nobody: their buffers go where nobody may write (and reach)
            temp = self._nginx_temp = Path(tempfile.mkdtemp(prefix="accessline-nginx-"))
            shutil.chown(temp, "nobody")
        for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (temp / name).mkdir(parents=True, exist_ok=True)
            if os.geteuid() == 0:
                shutil.chown(temp / name, "nobody")

        def servers(tier: str) -> str:
            ports = [self.config.port_of(tier, i) for i in range(self.config.replicas)]
            return " ".join(f"server 127.0.0.1:{p} max_fails=1 fail_timeout=10s;" for p in ports)

        front = self.config.front_port
        values = {"runtime": runtime, "temp": temp, "logs": logs, "front_port": front, "rasa_port": front + 1,
                  "actions_port": front + 2, "gateway_servers": servers("gateway"), "rasa_servers": servers("rasa"),
                  "action_servers": servers("actions")}  # fmt: skip
        nginx_variables = ("host", "http_upgrade", "connection_upgrade", "proxy_add_x_forwarded_for")
        values |= {name: f"${name}" for name in nginx_variables}  # nginx's own $variables stay as they are
        text = Template(NGINX_TEMPLATE.read_text()).substitute(values)
        path = runtime / "nginx.conf"
        path.write_text(text)
        return path

    def start_nginx(self) -> None:
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        conf = self.nginx_conf()
        check = subprocess.run([nginx, "-t", "-q", "-c", str(conf), "-p", str(self.config.runtime_dir)],
                               capture_output=True, text=True)  # fmt: skip
        if check.returncode != 0:
            raise RuntimeError(f"nginx refused its configuration:\n{check.stderr}")
        self.nginx = subprocess.Popen([nginx, "-c", str(conf), "-p", str(self.config.runtime_dir), "-g",
                                       "daemon off;"], start_new_session=True)  # fmt: skip

    # --- replicas ---------------------------------------------------------------------------------------------------

    def start(self, timeout: float = 600.0) -> None:
        """nginx, every action server and Rasa server, then the gateways one after the other (the first one
        migrates the database and writes the shared secrets), then wait until the front answers ready."""
        self.start_nginx()
        for stack in self.replicas:
            stack.start_actions()
            stack.start_rasa()
        for stack in self.replicas:
            stack.start_gateway()
            self.wait_alive(stack, timeout)
        self.wait_ready(timeout)

    def wait_alive(self, stack: Stack, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self._check_exits()
            try:
                if httpx.get(f"{stack.url}/healthz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        raise TimeoutError(f"gateway {stack.url} did not start")

    def wait_ready(self, timeout: float = 600.0) -> None:
        """Until every gateway reports ready (through its own port: each must reach Rasa and the actions)."""
        deadline = time.monotonic() + timeout
        pending = list(self.replicas)
        while pending and time.monotonic() < deadline:
            self._check_exits()
            for stack in list(pending):
                try:
                    if httpx.get(f"{stack.url}/readyz", timeout=3).status_code == 200:
                        pending.remove(stack)
                except httpx.HTTPError:
                    pass
            time.sleep(0.5)
        if pending:
            raise TimeoutError("cluster not ready: " + ", ".join(s.url for s in pending))
        for index in range(self.config.replicas):  # every Rasa replica serves a model, not only the one nginx asked
            self.wait_rasa(index, max(5.0, deadline - time.monotonic()))

    def wait_rasa(self, index: int, timeout: float) -> None:
        stack = self.replicas[index]
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                status = httpx.get(f"http://127.0.0.1:{stack.config.rasa_port}/status",
                                   params={"token": stack.token}, timeout=3)  # fmt: skip
                if status.status_code == 200 and status.json().get("model_file"):
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        raise TimeoutError(f"Rasa replica {index + 1} not ready")

    def _check_exits(self) -> None:
        if self.nginx is not None and self.nginx.poll() is not None:
            raise RuntimeError(
                f"nginx exited ({self.nginx.returncode}); see {self.config.runtime_dir}/logs/nginx-error.log"
            )
        for stack in self.replicas:
            for name, process in stack.processes.items():
                if process.poll() is not None:
                    raise RuntimeError(f"{name} of replica {stack.config.runtime_dir.name} exited "
                                       f"({process.returncode}); logs in {stack.config.log_dir}")  # fmt: skip

    def pids(self) -> dict[str, int]:
        """tier-replica -> pid of every running process (for CPU accounting)."""
        found = {f"{name}-{i + 1}": p.pid for i, s in enumerate(self.replicas) for name, p in s.processes.items()}
        if self.nginx is not None:
            found["nginx"] = self.nginx.pid
        return found

    def kill(self, tier: str, index: int) -> None:
        """kill -9 one process (its whole process group), no clean-up of any kind."""
        process = self.replicas[index].processes[tier]
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)

    def restart(self, tier: str, index: int) -> None:
        stack = self.replicas[index]
        {"gateway": stack.start_gateway, "rasa": stack.start_rasa, "actions": stack.start_actions}[tier]()

    def stop(self) -> None:
        for stack in self.replicas:
            stack.stop()
        if self.nginx is not None and self.nginx.poll() is None:
            os.killpg(self.nginx.pid, signal.SIGQUIT)
            try:
                self.nginx.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.nginx.pid, signal.SIGKILL)
        if self._nginx_temp is not None:
            shutil.rmtree(self._nginx_temp, ignore_errors=True)


def main() -> int:
    from bot.launcher.registry import startup_model

    settings = get_settings()
    database_url = settings.database_url
    redis_url = settings.redis_url or "redis://127.0.0.1:6379/0"
    if not database_url or not database_url.startswith("postgresql"):
        print("make cluster needs PostgreSQL: DATABASE_URL=postgresql://user@host/db make cluster", file=sys.stderr)
        return 2
    config = ClusterConfig(
        model=startup_model(database_url), redis_url=redis_url, database_url=database_url,
        front_port=int(os.environ.get("CLUSTER_PORT") or 8080), replicas=int(os.environ.get("CLUSTER_REPLICAS") or 2),
        redis_key_prefix=settings.redis_key_prefix,
    )  # fmt: skip
    cluster = Cluster(config)
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    try:
        print(f">> starting nginx and {config.replicas} x (gateway, Rasa, action server) ...", flush=True)
        cluster.start()
        print(f"\n>> AccessLine cluster is ready: {cluster.url}  (logs: {config.runtime_dir / 'logs'}). Ctrl-C "
              "stops it.\n", flush=True)  # fmt: skip
        while not stopping.wait(1.0):
            cluster._check_exits()
    except KeyboardInterrupt:
        pass
    except (RuntimeError, TimeoutError) as exc:
        print(f">> cluster stopped: {exc}", file=sys.stderr)
        return 1
    finally:
        cluster.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
