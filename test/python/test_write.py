import time

import pytest
from kubernetes import client
from kubernetes.client.rest import ApiException

from conftest import wait_until


def deployment(name, replicas=1, image="nginx:1.25"):
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name, "labels": {"app": name}},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": name}},
            "template": {"metadata": {"labels": {"app": name}}, "spec": {"containers": [{"name": "web", "image": image}]}},
        },
    }


def test_create_read_replace(core, ns):
    created = core.create_namespaced_config_map(ns, {"metadata": {"name": "r"}, "data": {"a": "1"}})
    assert created.metadata.uid and created.metadata.resource_version
    got = core.read_namespaced_config_map("r", ns)
    got.data = {"a": "2"}
    replaced = core.replace_namespaced_config_map("r", ns, got)
    assert replaced.data == {"a": "2"}
    assert int(replaced.metadata.resource_version) > int(created.metadata.resource_version)


def test_patch_strategic_merges_containers_by_name(apps, ns):
    apps.create_namespaced_deployment(ns, deployment("sm"))
    # A dict body goes out as application/strategic-merge-patch+json.
    patched = apps.patch_namespaced_deployment(
        "sm", ns, {"spec": {"template": {"spec": {"containers": [{"name": "web", "env": [{"name": "MODE", "value": "x"}]}]}}}}
    )
    c = patched.spec.template.spec.containers
    assert len(c) == 1 and c[0].image == "nginx:1.25" and c[0].env[0].name == "MODE"


def test_patch_json_patch(apps, ns):
    apps.create_namespaced_deployment(ns, deployment("jp"))
    # A list body goes out as application/json-patch+json.
    patched = apps.patch_namespaced_deployment(
        "jp", ns, [{"op": "replace", "path": "/spec/replicas", "value": 2}, {"op": "add", "path": "/metadata/labels/tier", "value": "web"}]
    )
    assert patched.spec.replicas == 2 and patched.metadata.labels["tier"] == "web"
    with pytest.raises(ApiException) as e:
        apps.patch_namespaced_deployment("jp", ns, [{"op": "test", "path": "/spec/replicas", "value": 7}])
    assert e.value.status == 422


def test_patch_merge_replaces_lists(api_client, kubeconfig_path, ns):
    from kubernetes import config

    merge_client = config.new_client_from_config(config_file=kubeconfig_path)
    merge_client.set_default_header("Content-Type", "application/merge-patch+json")
    apps = client.AppsV1Api(merge_client)
    client.AppsV1Api(api_client).create_namespaced_deployment(ns, deployment("mp"))
    patched = apps.patch_namespaced_deployment(
        "mp", ns, {"spec": {"template": {"spec": {"containers": [{"name": "other", "image": "busybox", "command": ["sleep", "1"]}]}}}}
    )
    names = [c.name for c in patched.spec.template.spec.containers]
    assert names == ["other"], "a merge patch replaces the whole list"


def test_scale_subresource(apps, ns):
    apps.create_namespaced_deployment(ns, deployment("sc"))
    scale = apps.read_namespaced_deployment_scale("sc", ns)
    assert scale.kind == "Scale" and scale.spec.replicas == 1
    apps.patch_namespaced_deployment_scale("sc", ns, {"spec": {"replicas": 3}})
    assert apps.read_namespaced_deployment("sc", ns).spec.replicas == 3
    scale = apps.read_namespaced_deployment_scale("sc", ns)
    scale.spec.replicas = 2
    # The deployment controller writes status meanwhile: replace unconditionally.
    scale.metadata.resource_version = None
    assert apps.replace_namespaced_deployment_scale("sc", ns, scale).spec.replicas == 2
    wait_until(lambda: apps.read_namespaced_deployment_scale("sc", ns).status.replicas == 2, what="status.replicas 2")


def owned_replicasets(apps, ns, name):
    return [rs for rs in apps.list_namespaced_replica_set(ns, label_selector=f"app={name}").items]


def test_delete_foreground_removes_dependents_first(apps, ns):
    apps.create_namespaced_deployment(ns, deployment("fg"))
    wait_until(lambda: owned_replicasets(apps, ns, "fg"), what="replicaset")
    apps.delete_namespaced_deployment("fg", ns, body=client.V1DeleteOptions(propagation_policy="Foreground"))
    wait_until(lambda: not owned_replicasets(apps, ns, "fg"), what="replicasets gone")
    wait_until(lambda: "fg" not in [d.metadata.name for d in apps.list_namespaced_deployment(ns).items], what="deployment gone")


def test_delete_orphan_keeps_dependents(apps, ns):
    apps.create_namespaced_deployment(ns, deployment("or"))
    wait_until(lambda: owned_replicasets(apps, ns, "or"), what="replicaset")
    apps.delete_namespaced_deployment("or", ns, propagation_policy="Orphan")
    wait_until(lambda: "or" not in [d.metadata.name for d in apps.list_namespaced_deployment(ns).items], what="deployment gone")
    time.sleep(0.5)
    rss = owned_replicasets(apps, ns, "or")
    assert len(rss) == 1 and not rss[0].metadata.owner_references


def test_delete_background_and_dry_run(apps, core, ns):
    apps.create_namespaced_deployment(ns, deployment("bg"))
    wait_until(lambda: owned_replicasets(apps, ns, "bg"), what="replicaset")
    apps.delete_namespaced_deployment("bg", ns, dry_run="All")
    assert apps.read_namespaced_deployment("bg", ns).metadata.name == "bg"
    apps.delete_namespaced_deployment("bg", ns, propagation_policy="Background")
    wait_until(lambda: not owned_replicasets(apps, ns, "bg"), what="replicasets collected")


def test_create_dry_run_stores_nothing(core, ns):
    core.create_namespaced_config_map(ns, {"metadata": {"name": "dry"}}, dry_run="All")
    with pytest.raises(ApiException) as e:
        core.read_namespaced_config_map("dry", ns)
    assert e.value.status == 404
