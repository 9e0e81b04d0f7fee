"""The Kubernetes manifests (deploy/kubernetes/): schema-valid offline, and saying what the deployment needs."""

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT

MANIFESTS = sorted((ROOT / "deploy" / "kubernetes").glob("*.yaml"))
HEALTH = "/relations/_stcore/health"


def resources() -> dict[str, dict]:
    by_kind = {}
    for path in MANIFESTS:
        for document in yaml.safe_load_all(path.read_text()):
            by_kind[document["kind"]] = document
    return by_kind


def validate(paths: list[Path]) -> subprocess.CompletedProcess:
    """kubernetes-validate ships the Kubernetes schemas: no cluster, no network."""
    executable = Path(sys.executable).with_name("kubernetes-validate")
    return subprocess.run(
        [str(executable), "--strict", "--quiet", *map(str, paths)], capture_output=True, text=True, timeout=60
    )


def test_every_manifest_validates_strictly():
    assert {path.name for path in MANIFESTS} >= {
        "deployment.yaml",
        "service.yaml",
        "ingress.yaml",
        "hpa.yaml",
        "pdb.yaml",
    }
    result = validate(MANIFESTS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_strict_validation_refuses_an_unknown_field(tmp_path):
    broken = tmp_path / "deployment.yaml"
    broken.write_text(
        (ROOT / "deploy/kubernetes/deployment.yaml").read_text().replace("runAsUser:", "runAsUsr:")
    )
    result = validate([broken])
    assert result.returncode != 0 and "runAsUsr" in result.stdout + result.stderr


def container() -> dict:
    return resources()["Deployment"]["spec"]["template"]["spec"]["containers"][0]


def test_replicas_probes_and_resources():
    deployment = resources()["Deployment"]
    assert deployment["spec"]["replicas"] >= 2
    app = container()
    port = app["ports"][0]
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        check = app[probe]["httpGet"]
        assert check["path"] == HEALTH, probe
        assert check["port"] in (port["name"], port["containerPort"]), probe
    # A replica busy with a burst answers its health check late (README "Serving many analysts"):
    # liveness must tolerate that for longer than readiness does.
    live, ready = app["livenessProbe"], app["readinessProbe"]
    assert (
        live["timeoutSeconds"] * live["failureThreshold"]
        > ready["timeoutSeconds"] * ready["failureThreshold"]
    )
    assert {"cpu", "memory"} <= app["resources"]["requests"].keys() <= app["resources"]["limits"].keys()


def test_base_path_and_cookie_secret_from_a_secret():
    env = {item["name"]: item for item in container()["env"]}
    assert env["STREAMLIT_SERVER_BASE_URL_PATH"]["value"] == HEALTH.split("/")[1]
    secret = env["STREAMLIT_SERVER_COOKIE_SECRET"]
    assert "value" not in secret
    assert secret["valueFrom"]["secretKeyRef"]["name"] and secret["valueFrom"]["secretKeyRef"]["key"]


def test_service_ingress_and_autoscaling_point_at_the_deployment():
    kinds = resources()
    labels = kinds["Deployment"]["spec"]["template"]["metadata"]["labels"]
    assert kinds["Service"]["spec"]["selector"].items() <= labels.items()
    assert kinds["PodDisruptionBudget"]["spec"]["selector"]["matchLabels"].items() <= labels.items()
    service_port = kinds["Service"]["spec"]["ports"][0]
    assert service_port["targetPort"] in (
        container()["ports"][0]["name"],
        container()["ports"][0]["containerPort"],
    )
    backend = kinds["Ingress"]["spec"]["rules"][0]["http"]["paths"][0]
    assert backend["path"] == "/relations"
    assert backend["backend"]["service"]["name"] == kinds["Service"]["metadata"]["name"]
    hpa = kinds["HorizontalPodAutoscaler"]["spec"]
    assert hpa["scaleTargetRef"]["name"] == kinds["Deployment"]["metadata"]["name"]
    assert hpa["minReplicas"] >= 2 and hpa["maxReplicas"] > hpa["minReplicas"]
    assert [m["resource"]["name"] for m in hpa["metrics"]] == ["cpu"]
    assert kinds["PodDisruptionBudget"]["spec"]["minAvailable"] >= 1


@pytest.mark.parametrize(
    ("annotation", "expected"),
    [
        ("affinity", "cookie"),
        ("affinity-mode", "persistent"),
        ("session-cookie-path", "/relations"),
        ("proxy-read-timeout", "3600"),
        ("proxy-send-timeout", "3600"),
    ],
)
def test_ingress_keeps_sessions_sticky_and_websockets_open(annotation, expected):
    annotations = resources()["Ingress"]["metadata"]["annotations"]
    assert annotations[f"nginx.ingress.kubernetes.io/{annotation}"] == expected
