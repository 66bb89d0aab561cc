"""The official Kubernetes Python client against a skiff engine.

The engine is started by test/python/python-client.test.ts, which passes its kubeconfig in
SKIFF_KUBECONFIG and runs this directory with /usr/bin/python3 -m pytest.
"""
import os
import time
import uuid

import pytest
from kubernetes import client, config


@pytest.fixture(scope="session")
def api_client():
    path = os.environ.get("SKIFF_KUBECONFIG")
    if not path:
        pytest.exit("SKIFF_KUBECONFIG is not set: run these tests through npm test (test/python/python-client.test.ts)", 2)
    return config.new_client_from_config(config_file=path)


@pytest.fixture(scope="session")
def kubeconfig_path():
    return os.environ["SKIFF_KUBECONFIG"]


@pytest.fixture(scope="session")
def core(api_client):
    return client.CoreV1Api(api_client)


@pytest.fixture(scope="session")
def apps(api_client):
    return client.AppsV1Api(api_client)


@pytest.fixture(scope="module")
def ns(core):
    """A namespace of the module's own, deleted afterwards."""
    name = "py-" + uuid.uuid4().hex[:8]
    core.create_namespace({"metadata": {"name": name}})
    yield name
    core.delete_namespace(name)


def wait_until(fn, timeout=30, what="condition"):
    deadline = time.time() + timeout
    last = None
    while time.time() < deadline:
        try:
            v = fn()
            if v:
                return v
        except Exception as e:  # noqa: BLE001 - keep polling, report the last error
            last = e
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}" + (f": {last}" if last else ""))


def run_pod(core, ns, name, image="busybox", command=None, **container):
    c = {"name": name, "image": image, **container}
    if command:
        c["command"] = command
    core.create_namespaced_pod(ns, {"metadata": {"name": name, "labels": {"app": name}}, "spec": {"containers": [c]}})
    return wait_until(lambda: core.read_namespaced_pod(name, ns).status.phase == "Running", what=f"pod {name} Running")
