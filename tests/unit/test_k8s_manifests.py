"""The Kubernetes manifests (deploy/k8s/) describe the cluster of `make cluster`: every Deployment probed and sized,
every Service pointing at a port its pods open, the gateway probed on /healthz and /readyz, Rasa scaled by pods."""

from __future__ import annotations

from pathlib import Path

import yaml

K8S = Path(__file__).resolve().parents[2] / "deploy" / "k8s"


def documents() -> list[dict]:
    listed = yaml.safe_load((K8S / "kustomization.yaml").read_text())["resources"]
    assert sorted(listed) == sorted(p.name for p in K8S.glob("*.yaml") if p.name != "kustomization.yaml")
    return [doc for name in listed for doc in yaml.safe_load_all((K8S / name).read_text()) if doc]


def by_kind(kind: str) -> dict[str, dict]:
    return {d["metadata"]["name"]: d for d in documents() if d["kind"] == kind}


def test_every_deployment_is_probed_and_sized() -> None:
    deployments = by_kind("Deployment")
    assert {"gateway", "rasa", "actions"} <= set(deployments)
    for name, deployment in deployments.items():
        assert deployment["metadata"]["namespace"] == "accessline"
        for container in deployment["spec"]["template"]["spec"]["containers"]:
            assert container["livenessProbe"] and container["readinessProbe"], name
            requests = container["resources"]["requests"]
            assert requests["cpu"] and requests["memory"], name
            assert container["resources"]["limits"]["memory"], name
    gateway = deployments["gateway"]["spec"]["template"]["spec"]["containers"][0]
    assert gateway["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert gateway["readinessProbe"]["httpGet"]["path"] == "/readyz"
    for name in ("gateway", "rasa", "actions"):
        assert deployments[name]["spec"]["replicas"] >= 2, f"{name}: one replica is no cluster"


def test_services_reach_the_pods_they_select() -> None:
    deployments = by_kind("Deployment")
    for name, service in by_kind("Service").items():
        wanted = service["spec"]["selector"].items()
        selected = [d for d in deployments.values() if wanted <= d["spec"]["template"]["metadata"]["labels"].items()]
        assert selected, f"service {name} selects no pods"
        for deployment in selected:
            opened = {p["containerPort"] for c in deployment["spec"]["template"]["spec"]["containers"]
                      for p in c.get("ports", [])}  # fmt: skip
            assert {p["targetPort"] for p in service["spec"]["ports"]} <= opened, name


def test_rasa_pods_follow_the_live_model_with_one_worker_each() -> None:
    config = by_kind("ConfigMap")["accessline-config"]["data"]
    assert config["SANIC_WORKERS"] == "1"  # a model put live reaches every pod, not every Sanic worker
    rasa = by_kind("Deployment")["rasa"]["spec"]["template"]["spec"]["containers"][0]
    assert "ACCESSLINE_MODEL_WATCH_REDIS" in {e["name"] for e in rasa["env"]}
    assert rasa["command"][:3] == ["python", "-m", "bot.launcher.rasa_main"]
    endpoints = yaml.safe_load(by_kind("ConfigMap")["rasa-endpoints"]["data"]["endpoints.yml"])
    assert endpoints["lock_store"]["type"] == endpoints["tracker_store"]["type"] == "redis"


def test_action_servers_keep_a_quiet_connection_as_long_as_the_launcher_does() -> None:
    from bot.launcher.stack import ACTION_SERVER_IDLE_SECONDS

    actions = by_kind("Deployment")["actions"]["spec"]["template"]["spec"]["containers"][0]
    env = {e["name"]: e.get("value") for e in actions["env"]}
    assert env["SANIC_KEEP_ALIVE_TIMEOUT"] == str(ACTION_SERVER_IDLE_SECONDS)
