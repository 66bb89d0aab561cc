import textwrap

from kubernetes import utils

from conftest import wait_until

MULTI = textwrap.dedent(
    """\
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: settings
    data:
      mode: fast
    ---
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: shop
      labels: {app: shop}
    spec:
      replicas: 2
      selector:
        matchLabels: {app: shop}
      template:
        metadata:
          labels: {app: shop}
        spec:
          containers:
          - name: web
            image: nginx:1.25
    ---
    apiVersion: v1
    kind: Service
    metadata:
      name: shop
    spec:
      selector: {app: shop}
      ports:
      - port: 80
    """
)


def test_create_from_multi_document_yaml(api_client, core, apps, ns, tmp_path):
    f = tmp_path / "app.yaml"
    f.write_text(MULTI)
    created = utils.create_from_yaml(api_client, str(f), namespace=ns)
    kinds = sorted(o.kind for group in created for o in group)
    assert kinds == ["ConfigMap", "Deployment", "Service"]
    assert core.read_namespaced_config_map("settings", ns).data == {"mode": "fast"}
    assert core.read_namespaced_service("shop", ns).spec.cluster_ip
    wait_until(lambda: (apps.read_namespaced_deployment("shop", ns).status.ready_replicas or 0) == 2, what="2 ready replicas")


def test_create_from_yaml_again_reports_already_exists(api_client, ns, tmp_path):
    f = tmp_path / "cm.yaml"
    f.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: once\n")
    utils.create_from_yaml(api_client, str(f), namespace=ns)
    try:
        utils.create_from_yaml(api_client, str(f), namespace=ns)
    except utils.FailToCreateError as e:
        assert e.api_exceptions[0].status == 409
    else:
        raise AssertionError("creating the same object twice succeeded")
