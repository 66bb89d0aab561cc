"""Status bodies byte for byte, as the apiserver writes them (field order, Go's escaping, trailing newline)."""
import pytest
from kubernetes import client
from kubernetes.client.rest import ApiException


def body_of(e):
    return e.body.decode() if isinstance(e.body, bytes) else e.body


def test_404_not_found(core, ns):
    with pytest.raises(ApiException) as e:
        core.read_namespaced_config_map("nope", ns)
    assert e.value.status == 404
    assert body_of(e.value) == (
        '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",'
        '"message":"configmaps \\"nope\\" not found","reason":"NotFound",'
        '"details":{"name":"nope","kind":"configmaps"},"code":404}\n'
    )


def test_404_in_a_group(apps, ns):
    with pytest.raises(ApiException) as e:
        apps.read_namespaced_deployment("nope", ns)
    assert body_of(e.value) == (
        '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",'
        '"message":"deployments.apps \\"nope\\" not found","reason":"NotFound",'
        '"details":{"name":"nope","group":"apps","kind":"deployments"},"code":404}\n'
    )


def test_409_already_exists(core, ns):
    core.create_namespaced_config_map(ns, {"metadata": {"name": "dup"}})
    with pytest.raises(ApiException) as e:
        core.create_namespaced_config_map(ns, {"metadata": {"name": "dup"}})
    assert e.value.status == 409
    assert body_of(e.value) == (
        '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",'
        '"message":"configmaps \\"dup\\" already exists","reason":"AlreadyExists",'
        '"details":{"name":"dup","kind":"configmaps"},"code":409}\n'
    )


def test_409_conflict_on_a_stale_resource_version(core, ns):
    cm = core.create_namespaced_config_map(ns, {"metadata": {"name": "stale"}, "data": {"a": "1"}})
    core.patch_namespaced_config_map("stale", ns, {"data": {"a": "2"}})
    cm.data = {"a": "3"}
    with pytest.raises(ApiException) as e:
        core.replace_namespaced_config_map("stale", ns, cm)
    assert e.value.status == 409
    assert body_of(e.value) == (
        '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",'
        '"message":"Operation cannot be fulfilled on configmaps \\"stale\\": the object has been modified; '
        'please apply your changes to the latest version and try again","reason":"Conflict",'
        '"details":{"name":"stale","kind":"configmaps"},"code":409}\n'
    )


def test_422_invalid(core, ns):
    with pytest.raises(ApiException) as e:
        core.create_namespaced_config_map(ns, {"metadata": {"name": "Bad_Name"}})
    assert e.value.status == 422
    why = (
        'Invalid value: \\"Bad_Name\\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric '
        "characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', "
        "regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
    )
    assert body_of(e.value) == (
        '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",'
        f'"message":"ConfigMap \\"Bad_Name\\" is invalid: metadata.name: {why}","reason":"Invalid",'
        f'"details":{{"name":"Bad_Name","kind":"ConfigMap","causes":[{{"reason":"FieldValueInvalid","message":"{why}","field":"metadata.name"}}]}},'
        '"code":422}\n'
    )


def test_422_deployment_with_two_errors_lists_both(apps, ns):
    bad = {
        "metadata": {"name": "twice"},
        "spec": {"replicas": -1, "selector": {"matchLabels": {"a": "b"}}, "template": {"metadata": {"labels": {"a": "c"}}, "spec": {"containers": [{"name": "c", "image": "nginx"}]}}},
    }
    with pytest.raises(ApiException) as e:
        apps.create_namespaced_deployment(ns, bad)
    assert e.value.status == 422
    b = body_of(e.value)
    assert b.startswith('{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Deployment.apps \\"twice\\" is invalid: [')
    assert '"reason":"Invalid","details":{"name":"twice","group":"apps","kind":"Deployment","causes":[' in b
    assert b.endswith('"code":422}\n')
